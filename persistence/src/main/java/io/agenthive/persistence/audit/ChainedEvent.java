package io.agenthive.persistence.audit;

/** The fields of one journal row that its hash covers, and the ordering it was written at. */
public record ChainedEvent(
    String persistenceId,
    long sequenceNr,
    long ordering,
    long writeTimestamp,
    int serializerId,
    String manifest,
    byte[] payload) {}
