package io.agenthive.task;

import akka.Done;
import java.util.concurrent.CompletionStage;

/**
 * How a task entity starts and stops the job that runs a dataset task: the dataset package
 * implements it and the hive wires it in, so the task lifecycle does not depend on datasets.
 */
public interface DatasetRunner {

  /** Starts (or keeps) the job of {@code taskId}; completes once the job is journaled. */
  CompletionStage<Done> start(String taskId, TaskSpec spec);

  /** The task was cancelled: its job stops reading and cancels its chunks still out. */
  void stop(String taskId);
}
