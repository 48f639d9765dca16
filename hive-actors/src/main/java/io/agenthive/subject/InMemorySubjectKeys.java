package io.agenthive.subject;

import akka.actor.typed.ActorSystem;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/** Subject keys in this node's memory: for hubs without a database (tests). */
public final class InMemorySubjectKeys implements SubjectKeys {
  private final SecureRandom random = new SecureRandom();
  private final Map<String, SubjectKey> keys = new ConcurrentHashMap<>();
  private final Map<String, Instant> erased = new ConcurrentHashMap<>();

  public InMemorySubjectKeys(ActorSystem<?> system) {}

  @Override
  public Optional<SubjectKey> keyFor(String subject) {
    if (erased.containsKey(subject)) {
      return Optional.empty();
    }
    return Optional.of(keys.computeIfAbsent(subject, s -> newKey(random)));
  }

  @Override
  public Optional<SecretKey> existing(String subject, String keyId) {
    SubjectKey k = erased.containsKey(subject) ? null : keys.get(subject);
    return k != null && k.id().equals(keyId) ? Optional.of(k.key()) : Optional.empty();
  }

  @Override
  public Instant erase(String subject, Instant at) {
    keys.remove(subject);
    return erased.computeIfAbsent(subject, s -> at);
  }

  @Override
  public Optional<Instant> erasedAt(String subject) {
    return Optional.ofNullable(erased.get(subject));
  }

  /** A fresh 256-bit AES key with a random id. */
  public static SubjectKey newKey(SecureRandom random) {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return new SubjectKey(
        UUID.randomUUID().toString().replace("-", ""), new SecretKeySpec(bytes, "AES"));
  }
}
