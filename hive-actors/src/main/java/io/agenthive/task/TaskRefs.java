package io.agenthive.task;

import akka.actor.typed.ActorSystem;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.EntityRef;
import akka.pattern.StatusReply;
import com.fasterxml.jackson.databind.JsonNode;
import io.agenthive.access.Principal;
import io.agenthive.common.AskTries;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Asks to task entities through sharding, each with the configured timeout: what the hive's task
 * and workflow clients build on.
 */
public final class TaskRefs {
  private final ActorSystem<?> system;
  private final ClusterSharding sharding;
  private final Duration timeout;

  public TaskRefs(ActorSystem<?> system, Duration timeout) {
    this.system = system;
    this.sharding = ClusterSharding.get(system);
    this.timeout = timeout;
  }

  /**
   * Submits in {@link #SUBMIT_TRIES} tries within twice the timeout (the entity asks the matcher
   * before answering: two hops). A try sent to a shard whose node has just died is lost until the
   * shard moves; in {@code bench failover} such a submission waited its whole 10 s, and was
   * accepted 10.2-10.7 s after the kill where the others took about 6 s. A lost try now costs a
   * fifth of it. Every try carries the same request id, so a try that meets the task an earlier one
   * created still answers "created".
   */
  static final int SUBMIT_TRIES = 5;

  public CompletionStage<TaskReplies.SubmitReply> submit(String taskId, TaskSpec spec, String by) {
    // told apart only from other submissions of the same task id: 64 random bits, no lock
    String request = Long.toHexString(ThreadLocalRandom.current().nextLong());
    EntityRef<TaskProtocol.Command> ref = ref(taskId);
    return AskTries.within(
        timeout.multipliedBy(2),
        SUBMIT_TRIES,
        each -> ref.ask(r -> new TaskProtocol.Submit(spec, by, request, r), each),
        system);
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
