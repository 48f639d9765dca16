package io.agenthive.launcher;

/**
 * A mistake in how a command was called, or a state that makes it refuse (the hub holds the
 * database): {@link Main} prints the message as one sentence and exits 2, without a stack trace,
 * since the sentence is the whole story and says what to do instead.
 */
public final class UsageError extends Exception {
  public UsageError(String sentence) {
    super(sentence, null, false, false);
  }
}
