package io.agenthive.persistence.audit;

import java.nio.charset.StandardCharsets;

/**
 * A signed checkpoint: the Merkle root of the event hashes at the orderings after {@code
 * fromOrdering} up to and including {@code toOrdering}, how many events that range held, and when.
 */
public record Checkpoint(
    long fromOrdering,
    long toOrdering,
    long events,
    byte[] root,
    long createdAtMs,
    String keyId,
    byte[] signature) {

  /** The bytes the signature covers: every field but the signature, in a fixed text form. */
  public byte[] signedBytes() {
    return ("agent-hive journal checkpoint v1|"
            + fromOrdering
            + "|"
            + toOrdering
            + "|"
            + events
            + "|"
            + EventHash.hex(root)
            + "|"
            + createdAtMs
            + "|"
            + keyId)
        .getBytes(StandardCharsets.UTF_8);
  }

  public String rootHex() {
    return EventHash.hex(root);
  }
}
