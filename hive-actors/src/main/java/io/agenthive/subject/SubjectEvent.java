package io.agenthive.subject;

import io.agenthive.common.CborSerializable;
import java.time.Instant;

/** A subject's history: only its erasure is journaled (its key is made without an event). */
public sealed interface SubjectEvent extends CborSerializable {
  /** The subject's key was destroyed at {@code at}, by {@code by}: its payloads read as erased. */
  record SubjectErased(String subject, Instant at, String by) implements SubjectEvent {}
}
