package io.agenthive.common;

import akka.actor.NoSerializationVerificationNeeded;

/**
 * Marks an actor's private messages (pipe results, adapters, timers): they never leave the actor,
 * may carry a Throwable, and so are exempt from {@code serialize-messages} checks.
 */
public interface LocalOnly extends NoSerializationVerificationNeeded {}
