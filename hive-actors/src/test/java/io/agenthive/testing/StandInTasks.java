package io.agenthive.testing;

import static io.agenthive.testing.Eventually.until;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.MemberStatus;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.Entity;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import akka.pattern.StatusReply;
import io.agenthive.task.DatasetCommands;
import io.agenthive.task.Task;
import io.agenthive.task.TaskEntity;
import io.agenthive.task.TaskProtocol;
import io.agenthive.task.TaskReplies;
import io.agenthive.task.TaskResult;
import io.agenthive.task.TaskSpec;
import io.agenthive.task.TaskStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;

/**
 * A stand-in for the {@code Task} entity type, for tests of what talks to tasks through sharding
 * (workflows, dataset jobs) without a queue, a matcher or agents. Each task is a record here: a
 * submit creates it (pending, or blocked when it waits), release unblocks it, a failed dependency,
 * a cancel or a dataset's finish end it, and whoever awaits its end hears of it, as from the real
 * entity. A test ends a task itself with {@link #end}. Every command received is logged, with the
 * id of the task it went to, for the test to look at.
 */
public final class StandInTasks {
  /** One command as a task received it. */
  public record Seen(String taskId, TaskProtocol.Command command) {}

  private final Map<String, Task> tasks = new HashMap<>();
  private final Map<String, List<ActorRef<Task>>> waiters = new HashMap<>();
  private final List<Seen> log = new CopyOnWriteArrayList<>();
  // how a submitted task stands at once (a chunk task that completes as soon as submitted, say);
  // null: pending, or blocked when it waits
  private volatile BiFunction<String, TaskSpec, Task> onSubmit;

  private StandInTasks() {}

  /**
   * Joins {@code system} to itself as a one-node cluster and shards this stand-in as the {@code
   * Task} entity type there (once per system).
   */
  public static StandInTasks start(ActorSystem<?> system) {
    Cluster cluster = Cluster.get(system);
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    until(() -> cluster.selfMember().status(), MemberStatus.up()::equals, "the node to be up");
    StandInTasks board = new StandInTasks();
    ClusterSharding.get(system)
        .init(Entity.of(TaskEntity.TYPE_KEY, entity -> board.behavior(entity.getEntityId())));
    return board;
  }

  /** A task as the stand-in keeps it. */
  public static Task task(String id, TaskSpec spec, TaskStatus status, TaskResult result) {
    Instant at = Instant.parse("2026-12-02T10:15:00Z");
    return new Task(
        id,
        spec,
        status,
        status == TaskStatus.PENDING || status == TaskStatus.BLOCKED ? 0 : 1,
        at,
        null,
        null,
        status.isTerminal() ? at : null,
        null,
        null,
        null,
        result,
        null,
        null,
        null,
        null,
        null,
        0,
        null);
  }

  /** Sets how a task submitted from now on stands once submitted. */
  public void onSubmit(BiFunction<String, TaskSpec, Task> created) {
    this.onSubmit = created;
  }

  /** Puts {@code task} here as it is (what {@code Get} answers), telling no one. */
  public synchronized void put(Task task) {
    tasks.put(task.id(), task);
  }

  /** The task as it stands here; {@link Task#empty} when nothing was submitted under its id. */
  public synchronized Task get(String id) {
    return tasks.getOrDefault(id, Task.empty(id));
  }

  /** Ends the task as its agent would, telling everyone who awaits its end. */
  public void end(String id, TaskStatus status, TaskResult result) {
    changed(task(id, get(id).spec(), status, result));
  }

  /** Every command the tasks received so far, in the order each task received them. */
  public List<Seen> log() {
    return List.copyOf(log);
  }

  /** The commands of type {@code type} that task {@code id} received. */
  public <C extends TaskProtocol.Command> List<C> seen(String id, Class<C> type) {
    return log.stream()
        .filter(s -> s.taskId().equals(id) && type.isInstance(s.command()))
        .map(s -> type.cast(s.command()))
        .toList();
  }

  /** Waits until task {@code id} received a {@code type}, and returns the first. */
  public <C extends TaskProtocol.Command> C await(String id, Class<C> type) {
    return until(
            () -> seen(id, type),
            l -> !l.isEmpty(),
            "task " + id + " to receive " + type.getSimpleName())
        .get(0);
  }

  private synchronized void changed(Task task) {
    tasks.put(task.id(), task);
    if (task.status().isTerminal()) {
      waiters.getOrDefault(task.id(), List.of()).forEach(w -> w.tell(task));
      waiters.remove(task.id());
    }
  }

  private synchronized void waitFor(String id, ActorRef<Task> replyTo) {
    Task task = get(id);
    if (task.exists() && task.status().isTerminal()) {
      replyTo.tell(task);
    } else {
      List<ActorRef<Task>> list = waiters.computeIfAbsent(id, k -> new ArrayList<>());
      if (!list.contains(replyTo)) {
        list.add(replyTo);
      }
    }
  }

  private Behavior<TaskProtocol.Command> behavior(String id) {
    return Behaviors.receive(TaskProtocol.Command.class)
        .onMessage(
            TaskProtocol.Command.class,
            cmd -> {
              // logged once answered: a test that awaits a command then sees its effect
              answer(id, cmd);
              log.add(new Seen(id, cmd));
              return cmd == TaskProtocol.Stop.INSTANCE ? Behaviors.stopped() : Behaviors.same();
            })
        .build();
  }

  private void answer(String id, TaskProtocol.Command cmd) {
    if (cmd instanceof TaskProtocol.Submit s) {
      Task before = get(id);
      if (!before.exists()) {
        BiFunction<String, TaskSpec, Task> created = onSubmit;
        changed(
            created != null
                ? created.apply(id, s.spec())
                : task(
                    id,
                    s.spec(),
                    s.spec().waits() ? TaskStatus.BLOCKED : TaskStatus.PENDING,
                    null));
      }
      s.replyTo().tell(new TaskReplies.Accepted(get(id), !before.exists()));
    } else if (cmd instanceof TaskProtocol.Get g) {
      g.replyTo().tell(get(id));
    } else if (cmd instanceof TaskProtocol.AwaitEnd a) {
      waitFor(id, a.replyTo());
    } else if (cmd instanceof TaskProtocol.Release r) {
      Task t = get(id);
      if (t.status() == TaskStatus.BLOCKED) {
        changed(task(id, t.spec(), TaskStatus.PENDING, null));
      }
      r.replyTo().tell(StatusReply.success(get(id)));
    } else if (cmd instanceof TaskProtocol.FailDependency f) {
      Task t = get(id);
      if (t.status() == TaskStatus.BLOCKED) {
        changed(
            task(
                id,
                t.spec(),
                TaskStatus.FAILED,
                new TaskResult(false, null, "dependency_failed", 0, null)));
      }
      f.replyTo().tell(StatusReply.success(get(id)));
    } else if (cmd instanceof TaskProtocol.Cancel c) {
      Task t = get(id);
      if (t.exists() && !t.status().isTerminal()) {
        changed(task(id, t.spec(), TaskStatus.CANCELLED, null));
      }
      c.replyTo().tell(StatusReply.success(get(id)));
    } else if (cmd instanceof DatasetCommands.RecordProgress p) {
      p.replyTo().tell(StatusReply.ack());
    } else if (cmd instanceof DatasetCommands.FinishDataset f) {
      Task t = get(id);
      changed(
          task(
              id,
              t.spec(),
              f.result().success() ? TaskStatus.COMPLETED : TaskStatus.FAILED,
              f.result()));
      f.replyTo().tell(StatusReply.<Done>ack());
    }
  }
}
