package io.agenthive.live;

import akka.actor.typed.ActorRef;
import io.agenthive.common.CborSerializable;

/** What an attempt's {@link LiveRun} tells those following it, in this order per follower. */
public sealed interface LiveUpdate extends CborSerializable {
  /** First, once per follower: everything produced so far ({@code truncated}: the cap was hit). */
  record SoFar(
      String taskId, int attempt, String text, boolean truncated, ActorRef<LiveRun.Command> run)
      implements LiveUpdate {}

  /** Then each new piece of text, as it comes. */
  record Delta(String taskId, int attempt, String text) implements LiveUpdate {}

  /** The cap was hit just now: no more pieces of this attempt follow (its result is whole). */
  record Truncated(String taskId, int attempt) implements LiveUpdate {}

  /** The attempt is over (its result goes to the task; a retry is a new attempt). */
  record Over(String taskId, int attempt) implements LiveUpdate {}
}
