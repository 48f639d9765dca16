package io.agenthive.workflow;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.EntityRef;
import akka.pattern.StatusReply;
import io.agenthive.access.Principal;
import io.agenthive.common.FieldError;
import io.agenthive.common.HiveException;
import io.agenthive.common.HiveLimits;
import io.agenthive.common.HiveSettings;
import io.agenthive.task.Dependencies;
import io.agenthive.task.Task;
import io.agenthive.task.TaskInputLimits;
import io.agenthive.task.TaskRefs;
import io.agenthive.task.TaskSpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Workflows, and tasks that wait for others. Everything is checked before anything is written: the
 * shape, the graph (a cycle is refused naming its steps), and that every outside dependency is an
 * existing task. Then one event accepts the whole workflow, and its entity submits the steps. A
 * single task with {@code depends_on} gets a workflow of its own (id {@code gate-<task id>}), so
 * one mechanism watches every dependency.
 */
public final class Workflows {
  private final ClusterSharding sharding;
  private final TaskRefs tasks;
  private final HiveSettings settings;
  private final HiveLimits limits;

  public Workflows(ActorSystem<?> system, TaskRefs tasks, HiveSettings settings) {
    this.sharding = ClusterSharding.get(system);
    this.tasks = tasks;
    this.settings = settings;
    this.limits = HiveLimits.get(system);
  }

  /** Accepts every step or none; completes once each step's task has answered its submission. */
  public CompletionStage<Workflow> submit(WorkflowSpec spec, Principal by) {
    List<FieldError> errors = new ArrayList<>(spec.validate());
    for (int i = 0; i < spec.steps().size(); i++) {
      errors.addAll(TaskInputLimits.check(spec.steps().get(i).task(), limits, "tasks[" + i + "]."));
    }
    if (errors.isEmpty()) {
      List<String> cycle = WorkflowGraph.cycle(spec.steps());
      if (!cycle.isEmpty()) {
        errors.add(
            new FieldError("tasks", "depends_on forms a cycle: " + String.join(" -> ", cycle)));
      }
    }
    if (!errors.isEmpty()) {
      return CompletableFuture.failedFuture(HiveException.invalid(errors));
    }
    // a consensus step becomes ordinary steps here, once its shape and the graph are checked;
    // what it becomes is held to the same bounds: the step count, each task's input (the judge's
    // too), and the input a consensus step copies to its voters and judge counted once each
    List<WorkflowSpec.Step> steps = ConsensusSteps.expand(spec.steps());
    if (steps.size() > WorkflowSpec.MAX_STEPS) {
      errors.add(
          new FieldError(
              "tasks",
              "becomes "
                  + steps.size()
                  + " tasks with its consensus steps' voters, judges and tallies; at most "
                  + WorkflowSpec.MAX_STEPS));
    }
    long copied = 0;
    for (WorkflowSpec.Step s : steps) {
      if (s.name().contains(".")) { // a voter or a judge: only generated names hold a dot
        errors.addAll(TaskInputLimits.check(s.task(), limits, "tasks[" + s.name() + "]."));
        copied += s.task().input() == null ? 0 : s.task().input().toString().length();
      }
    }
    if (copied > limits.maxTaskInputBytes() * 2) {
      errors.add(
          new FieldError(
              "tasks",
              "copies "
                  + copied
                  + " characters of input to its voters and judges; at most twice"
                  + " hive.limits.max-task-input"));
    }
    if (!errors.isEmpty()) {
      return CompletableFuture.failedFuture(HiveException.invalid(errors));
    }
    String workflowId = workflowIdFor(spec.idempotencyKey(), by);
    Map<String, String> ids = new HashMap<>();
    steps.forEach(s -> ids.put(s.name(), stepTaskId(workflowId, s.name())));
    List<WorkflowNode> nodes = new ArrayList<>();
    for (WorkflowSpec.Step s : steps) {
      List<String> on = s.dependsOn().stream().map(d -> ids.getOrDefault(d, d)).toList();
      TaskSpec task =
          s.task()
              .withDependencies(
                  new Dependencies(on, s.runOnDependencyFailure(), workflowId, s.name()));
      nodes.add(new WorkflowNode(s.name(), ids.get(s.name()), task, on));
    }
    return existing(WorkflowGraph.externals(spec.steps()), "tasks")
        .thenCompose(ok -> create(workflowId, spec.name(), nodes, by));
  }

  /** A single task that waits for existing tasks: blocked until they end. */
  public CompletionStage<Task> submitWaiting(String taskId, TaskSpec spec, Principal by) {
    if (spec.dependencies().on().contains(taskId)) {
      return CompletableFuture.failedFuture(
          HiveException.invalid(
              List.of(new FieldError("depends_on", "a task cannot depend on itself"))));
    }
    TaskSpec linked =
        spec.withDependencies(
            new Dependencies(
                spec.dependencies().on(), spec.dependencies().runOnFailure(), null, null));
    WorkflowNode node = new WorkflowNode(taskId, taskId, linked, linked.dependencies().on());
    return existing(Set.copyOf(node.dependsOn()), "depends_on")
        .thenCompose(ok -> create("gate-" + taskId, null, List.of(node), by))
        .thenCompose(w -> tasks.get(taskId))
        .thenApply(
            t -> {
              if (!t.exists()) {
                // its submission did not answer in time; its workflow submits it again
                throw new HiveException(
                    HiveException.Kind.UNAVAILABLE,
                    "task " + taskId + " is accepted but not yet written; ask for it again");
              }
              return t;
            });
  }

  public CompletionStage<Optional<Workflow>> get(String workflowId) {
    return ref(workflowId)
        .ask(WorkflowProtocol.Get::new, settings.askTimeout())
        .thenApply(w -> w.exists() ? Optional.of(w) : Optional.empty());
  }

  /** Cancels every step that has not ended. */
  public CompletionStage<Workflow> cancel(String workflowId, Principal by) {
    return HiveException.unwrap(
        ref(workflowId)
            .ask(
                (ActorRef<StatusReply<Workflow>> r) -> new WorkflowProtocol.Cancel(by.label(), r),
                settings.askTimeout()));
  }

  private CompletionStage<Workflow> create(
      String workflowId, String name, List<WorkflowNode> nodes, Principal by) {
    // it answers once every step's task answered: give it time for a large workflow
    Duration wait = settings.askTimeout().multipliedBy(4).plusMillis(10L * nodes.size());
    return HiveException.unwrap(
        ref(workflowId)
            .ask(
                (ActorRef<StatusReply<Workflow>> r) ->
                    new WorkflowProtocol.Create(name, nodes, by.label(), r),
                wait));
  }

  /**
   * Completes when every one of {@code taskIds} exists; otherwise a 400 naming those that do not.
   */
  private CompletionStage<Void> existing(Set<String> taskIds, String field) {
    List<CompletableFuture<String>> missing = new ArrayList<>();
    for (String id : taskIds) {
      missing.add(tasks.get(id).thenApply(t -> t.exists() ? null : id).toCompletableFuture());
    }
    return CompletableFuture.allOf(missing.toArray(CompletableFuture[]::new))
        .thenApply(
            done -> {
              List<String> unknown =
                  missing.stream().map(CompletableFuture::join).filter(id -> id != null).toList();
              if (!unknown.isEmpty()) {
                throw HiveException.invalid(
                    List.of(
                        new FieldError(
                            field,
                            "depends on tasks that do not exist: " + String.join(", ", unknown))));
              }
              return null;
            });
  }

  private EntityRef<WorkflowProtocol.Command> ref(String workflowId) {
    return sharding.entityRefFor(WorkflowEntity.TYPE_KEY, workflowId);
  }

  /** Like a task's: one principal's key names one workflow, another principal's another. */
  static String workflowIdFor(String idempotencyKey, Principal by) {
    return "wf-"
        + (idempotencyKey == null
            ? UUID.randomUUID()
            : UUID.nameUUIDFromBytes(
                ("workflow-key:" + by.label() + ":" + idempotencyKey)
                    .getBytes(StandardCharsets.UTF_8)));
  }

  /** A step's task id: fixed by the workflow and the name, so submitting it again finds it. */
  static String stepTaskId(String workflowId, String name) {
    return UUID.nameUUIDFromBytes(
            ("workflow:" + workflowId + ":" + name).getBytes(StandardCharsets.UTF_8))
        .toString();
  }
}
