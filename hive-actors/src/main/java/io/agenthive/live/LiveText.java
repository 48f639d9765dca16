package io.agenthive.live;

import akka.actor.typed.ActorRef;

/**
 * Where a skill writes the text an attempt produces while it runs (an LLM's tokens, a remote
 * worker's {@code partial} frames). Appending is a message to the attempt's {@link LiveRun}, so it
 * is safe from any thread; nothing written here is journaled, only the attempt's final output is.
 */
public record LiveText(ActorRef<LiveRun.Command> run) {
  /** For runs nobody can follow (dataset chunks, skills called outside an attempt). */
  public static final LiveText NONE = new LiveText(null);

  public void append(String text) {
    if (run != null && text != null && !text.isEmpty()) {
      run.tell(new LiveRun.Append(text));
    }
  }

  /** The attempt is over: the run tells its followers after the text already told, and stops. */
  public void finish() {
    if (run != null) {
      run.tell(new LiveRun.Finish());
    }
  }
}
