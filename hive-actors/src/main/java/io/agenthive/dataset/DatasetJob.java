package io.agenthive.dataset;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.PostStop;
import akka.actor.typed.PreRestart;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.pattern.StatusReply;
import io.agenthive.common.Failures;
import io.agenthive.common.HiveSettings;
import io.agenthive.common.LocalOnly;
import io.agenthive.task.DatasetCommands;
import io.agenthive.task.Task;
import io.agenthive.task.TaskEntity;
import io.agenthive.task.TaskProtocol;
import io.agenthive.task.TaskResult;
import io.agenthive.task.TaskSpec;
import io.agenthive.task.TaskStatus;
import java.time.Duration;

/**
 * Runs one dataset task: loads the task (its last checkpoint), runs a {@link DatasetPipeline} from
 * there, and tells {@link DatasetJobs} when the task has ended. A pipeline failure that is not the
 * task's own fault (a journal or ask timeout, an I/O error) fails this actor, and its supervisor
 * restarts it with backoff: the restart resumes from the last checkpoint.
 */
public final class DatasetJob {
  private DatasetJob() {}

  public sealed interface Command permits Cancel, Loaded, PipelineEnded {}

  /** The task was cancelled: stop reading and cancel the chunks still out. */
  public enum Cancel implements Command, LocalOnly {
    INSTANCE
  }

  private record Loaded(Task task, Throwable error) implements Command, LocalOnly {}

  private record PipelineEnded(Throwable error) implements Command, LocalOnly {}

  static Behavior<Command> create(
      String taskId,
      TaskSpec spec,
      ActorRef<DatasetJobs.Command> registry,
      HiveSettings hiveSettings,
      DatasetSettings settings) {
    return Behaviors.setup(
        ctx -> {
          ctx.pipeToSelf(
              ClusterSharding.get(ctx.getSystem())
                  .entityRefFor(TaskEntity.TYPE_KEY, taskId)
                  .ask(TaskProtocol.Get::new, hiveSettings.askTimeout()),
              Loaded::new);
          return Behaviors.receive(Command.class)
              .onMessage(
                  Loaded.class,
                  loaded -> {
                    if (loaded.error() != null) {
                      throw new IllegalStateException(
                          "task " + taskId + " did not answer", loaded.error());
                    }
                    Task task = loaded.task();
                    if (task.status() != TaskStatus.RUNNING || task.spec().dataset() == null) {
                      registry.tell(new DatasetJobs.Ended(taskId));
                      return Behaviors.stopped();
                    }
                    return running(
                        ctx,
                        taskId,
                        registry,
                        new DatasetPipeline(task, ctx.getSystem(), hiveSettings, settings));
                  })
              .onMessageEquals(Cancel.INSTANCE, Behaviors::stopped)
              .build();
        });
  }

  private static Behavior<Command> running(
      ActorContext<Command> ctx,
      String taskId,
      ActorRef<DatasetJobs.Command> registry,
      DatasetPipeline pipeline) {
    ctx.getLog().info("Dataset task [{}] running", taskId);
    ctx.pipeToSelf(pipeline.run(), (done, error) -> new PipelineEnded(error));
    return Behaviors.receive(Command.class)
        .onMessageEquals(
            Cancel.INSTANCE,
            () -> {
              pipeline.stop(true);
              return Behaviors.stopped();
            })
        .onMessage(
            PipelineEnded.class,
            ended -> {
              // the parallelism as it held: an operator sees what a dataset's setting gave
              ctx.getLog()
                  .info("Dataset task [{}] run ended, {}", taskId, pipeline.chunksOutReport());
              Throwable cause = ended.error() == null ? null : Failures.cause(ended.error());
              if (cause == null || cause instanceof DatasetPipeline.TaskNotRunning) {
                registry.tell(new DatasetJobs.Ended(taskId));
                return Behaviors.stopped();
              }
              throw new IllegalStateException(
                  "dataset task " + taskId + " failed: " + cause, cause);
            })
        .onSignal(
            PreRestart.class,
            signal -> {
              pipeline.stop(false);
              return Behaviors.same();
            })
        .onSignal(
            PostStop.class,
            signal -> {
              pipeline.stop(false);
              return Behaviors.same();
            })
        .build();
  }

  /** Fails {@code taskId} with {@code why}; used when its job gave up. */
  static void failTask(ActorSystem<?> system, String taskId, String why, Duration timeout) {
    ClusterSharding.get(system)
        .entityRefFor(TaskEntity.TYPE_KEY, taskId)
        .<StatusReply<Done>>ask(
            replyTo ->
                new DatasetCommands.FinishDataset(
                    null, new TaskResult(false, null, why, 0, null), replyTo),
            timeout);
  }
}
