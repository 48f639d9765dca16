package io.agenthive.common;

/**
 * Marker for everything that crosses actors or is persisted. Bound to Akka's {@code jackson-cbor}
 * serializer in {@code reference.conf}, so adding nodes is configuration, not a rewrite.
 */
public interface CborSerializable {}
