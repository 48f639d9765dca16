package io.agenthive.task;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import akka.serialization.Serialization;
import akka.serialization.SerializationExtension;
import akka.serialization.Serializer;
import akka.serialization.Serializers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.agenthive.common.PersonalFields;
import io.agenthive.subject.SubjectKeys;
import io.agenthive.subject.Subjects;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Optional;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seals a task event's personal values with its subject's key on the way into the journal, and
 * opens them on every way out (an entity's recovery, the read model, the event feed, time travel,
 * decision replay): all of them read the journal through the adapters that call {@link #open}. A
 * subject whose key was destroyed reads as {@link PersonalFields#ERASED}; one that was erased
 * before an event was written gets that placeholder written instead of its values.
 */
public final class TaskSealing implements Extension {
  static final String SEALED = "[sealed]";

  /** A sealed value that no longer matches its tag: someone changed it (the chain says who). */
  static final String UNREADABLE = "[unreadable]";

  private static final Logger log = LoggerFactory.getLogger(TaskSealing.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int TAG_BITS = 128;
  private static final int NONCE_BYTES = 12;
  private final SecureRandom random = new SecureRandom();
  private final SubjectKeys keys;
  private final ActorSystem<?> system;
  private volatile Serialization serialization;

  private TaskSealing(ActorSystem<?> system) {
    this.keys = Subjects.keys(system);
    this.system = system;
  }

  /** This actor system's sealing, with its node's key store. */
  public static TaskSealing get(ActorSystem<?> system) {
    return Id.INSTANCE.apply(system);
  }

  private static final class Id extends ExtensionId<TaskSealing> {
    static final Id INSTANCE = new Id();

    @Override
    public TaskSealing createExtension(ActorSystem<?> system) {
      return new TaskSealing(system);
    }
  }

  /**
   * The journal's form of {@code event}: the event itself when it holds nothing personal, else a
   * {@link SealedTaskEvent} (or, for an erased subject, the event with its values erased).
   */
  public Object seal(TaskEvent event, String subject) {
    ObjectNode values = JSON.createObjectNode();
    TaskEvent inner =
        PersonalFields.rewrite(
            event,
            (path, type, v) -> {
              if (v == null) {
                return null;
              }
              values.set(path, v instanceof JsonNode n ? n : TextNode.valueOf((String) v));
              return PersonalFields.placeholder(type, SEALED);
            });
    if (inner == event) {
      return event;
    }
    Optional<SubjectKeys.SubjectKey> key = keys.keyFor(subject);
    if (key.isEmpty()) {
      return PersonalFields.erased(event);
    }
    try {
      Serializer serializer = serialization().findSerializerFor(inner);
      byte[] bytes = serializer.toBinary(inner);
      byte[] nonce = new byte[NONCE_BYTES];
      random.nextBytes(nonce);
      Cipher gcm = cipher(Cipher.ENCRYPT_MODE, key.get().key(), nonce, subject, key.get().id());
      gcm.updateAAD(bytes); // the values belong to this event: moved to another, they fail
      byte[] sealed = gcm.doFinal(JSON.writeValueAsBytes(values));
      return new SealedTaskEvent(
          subject,
          key.get().id(),
          serializer.identifier(),
          Serializers.manifestFor(serializer, inner),
          bytes,
          nonce,
          sealed);
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalStateException("cannot seal an event of subject " + subject, e);
    }
  }

  /**
   * The event with its values back, or erased when its subject's key is gone. A sealed event whose
   * own bytes cannot be read stands in as {@link TaskEvent.TaskUnreadable}: its task fails, as with
   * any unreadable event, and every other reader goes on.
   */
  public TaskEvent open(SealedTaskEvent s) {
    TaskEvent inner;
    try {
      inner =
          (TaskEvent) serialization().deserialize(s.event(), s.serializerId(), s.manifest()).get();
    } catch (RuntimeException e) {
      log.error("a sealed event of subject {} cannot be read", s.subject(), e);
      return new TaskEvent.TaskUnreadable(0, "a sealed event cannot be read", Instant.EPOCH);
    }
    Optional<SecretKey> key = keys.existing(s.subject(), s.keyId());
    if (key.isEmpty()) {
      return PersonalFields.erased(inner);
    }
    JsonNode values;
    try {
      Cipher gcm = cipher(Cipher.DECRYPT_MODE, key.get(), s.nonce(), s.subject(), s.keyId());
      gcm.updateAAD(s.event());
      values = JSON.readTree(gcm.doFinal(s.sealed()));
    } catch (AEADBadTagException e) {
      log.error("a sealed event of subject {} fails its tag: it was altered", s.subject());
      return PersonalFields.rewrite(
          inner,
          (path, type, v) -> v == null ? null : PersonalFields.placeholder(type, UNREADABLE));
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalStateException("cannot open an event of subject " + s.subject(), e);
    }
    // by path: a component marked personal after this event was written kept its plain value
    return PersonalFields.rewrite(
        inner, (path, type, v) -> values.has(path) ? value(type, values.get(path)) : v);
  }

  private static Object value(Class<?> type, JsonNode n) {
    if (n == null || n.isNull()) {
      return null;
    }
    return type == String.class ? n.asText() : n;
  }

  /** AES-GCM under the subject's key, bound to the subject and key id (its associated data). */
  private static Cipher cipher(int mode, SecretKey key, byte[] nonce, String subject, String id)
      throws GeneralSecurityException {
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    c.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
    c.updateAAD((subject + "\n" + id).getBytes(StandardCharsets.UTF_8));
    return c;
  }

  private Serialization serialization() {
    Serialization s = serialization;
    if (s == null) {
      s = SerializationExtension.get(akka.actor.typed.javadsl.Adapter.toClassic(system));
      serialization = s;
    }
    return s;
  }
}
