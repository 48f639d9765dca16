package io.agenthive.task;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.pattern.StatusReply;

/**
 * What a dataset job asks of its task entity, apart from the task lifecycle: journal a checkpoint,
 * or end the task with the folded result. Both are refused unless the task is a dataset task that
 * is running.
 */
public final class DatasetCommands {
  private DatasetCommands() {}

  /** A dataset job's checkpoint. */
  public record RecordProgress(DatasetProgress progress, ActorRef<StatusReply<Done>> replyTo)
      implements TaskProtocol.Command {}

  /** A dataset job's end: its last checkpoint (null: keep the one journaled) and result. */
  public record FinishDataset(
      DatasetProgress progress, TaskResult result, ActorRef<StatusReply<Done>> replyTo)
      implements TaskProtocol.Command {}

  static boolean runningDataset(Task state) {
    return state.exists() && state.spec().hasDataset() && state.status() == TaskStatus.RUNNING;
  }

  static String notRunning(Task state) {
    return state.exists()
        ? "task " + state.id() + " is " + state.status().label()
        : "task " + state.id() + " not found";
  }
}
