package io.agenthive.persistence.audit;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The hash that chains one event to its entity's previous one: SHA-256 over the previous event's
 * hash and every field of the journal row that says what happened and when (entity, sequence
 * number, write time, serializer, manifest, payload). Each field is length-prefixed, so no two
 * different rows hash the same bytes. The writer ({@link EventChain}) and the verifier ({@link
 * JournalVerifier}) both call this one method.
 */
public final class EventHash {
  /** The "previous hash" of an entity's first chained event. */
  public static final byte[] GENESIS = new byte[32];

  private EventHash() {}

  public static byte[] of(byte[] previous, ChainedEvent e) {
    MessageDigest sha = sha256();
    sha.update(previous);
    text(sha, e.persistenceId());
    sha.update(
        ByteBuffer.allocate(20)
            .putLong(e.sequenceNr())
            .putLong(e.writeTimestamp())
            .putInt(e.serializerId())
            .array());
    text(sha, e.manifest());
    sha.update(ByteBuffer.allocate(4).putInt(e.payload().length).array());
    sha.update(e.payload());
    return sha.digest();
  }

  private static void text(MessageDigest sha, String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    sha.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
    sha.update(bytes);
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  public static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
