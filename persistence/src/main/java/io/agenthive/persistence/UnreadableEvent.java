package io.agenthive.persistence;

import java.time.Instant;

/**
 * An event of a kind without a stand-in of its own ({@link StandIns}) that a reader of the whole
 * journal could not deserialize: the feed shows it, everything else skips it. Never written.
 */
public record UnreadableEvent(
    String persistenceId, long sequenceNr, long offset, String reason, Instant at) {}
