package io.agenthive.task;

import akka.actor.typed.ActorSystem;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.EntityRef;
import akka.pattern.StatusReply;
import com.fasterxml.jackson.databind.JsonNode;
import io.agenthive.access.Principal;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * Asks to task entities through sharding, each with the configured timeout: what the hive's task
 * and workflow clients build on.
 */
public final class TaskRefs {
  private final ClusterSharding sharding;
  private final Duration timeout;

  public TaskRefs(ActorSystem<?> system, Duration timeout) {
    this.sharding = ClusterSharding.get(system);
    this.timeout = timeout;
  }

  public CompletionStage<TaskReplies.SubmitReply> submit(String taskId, TaskSpec spec, String by) {
    // the entity asks the matcher before answering, so allow it two hops
    return ref(taskId).ask(r -> new TaskProtocol.Submit(spec, by, r), timeout.multipliedBy(2));
  }

  public CompletionStage<Task> get(String taskId) {
    return ref(taskId).ask(TaskProtocol.Get::new, timeout);
  }

  public CompletionStage<StatusReply<Task>> cancel(String taskId, String by) {
    return ref(taskId).ask(r -> new TaskProtocol.Cancel(by, r), timeout);
  }

  public CompletionStage<StatusReply<Task>> retry(String taskId, String by) {
    return ref(taskId).ask(r -> new TaskProtocol.Retry(by, r), timeout.multipliedBy(2));
  }

  public CompletionStage<StatusReply<Task>> decide(
      String taskId, boolean approve, String comment, JsonNode output, Principal by) {
    return ref(taskId).ask(r -> new TaskProtocol.Decide(approve, comment, output, by, r), timeout);
  }

  public CompletionStage<StatusReply<Task>> signal(
      String taskId, String name, JsonNode payload, String by) {
    return ref(taskId).ask(r -> new TaskProtocol.Signal(name, payload, by, r), timeout);
  }

  private EntityRef<TaskProtocol.Command> ref(String taskId) {
    return sharding.entityRefFor(TaskEntity.TYPE_KEY, taskId);
  }
}
