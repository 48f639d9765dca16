package io.agenthive.task;

import static io.agenthive.testing.Eventually.until;
import static org.junit.jupiter.api.Assertions.*;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.cluster.MemberStatus;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.EntityRef;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import com.fasterxml.jackson.databind.node.TextNode;
import com.typesafe.config.ConfigFactory;
import io.agenthive.common.HiveSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A parent that handed its work to subtasks, on real task entities behind sharding: it waits
 * blocked and without its agent, is released when its subtask says it ended, and, when no word
 * comes (lost with a node), by its wake-up, which the matcher keeps from the task's changes.
 */
class TaskAwaitTest {
  static final ActorTestKit kit = ActorTestKit.create(ConfigFactory.load("application-test"));
  static final TaskEntityTest.Queue queue = new TaskEntityTest.Queue();
  static final AssignmentReason REASON =
      new AssignmentReason("p", 1, List.of(new AssignmentReason.Candidate("a1", 0.8)), "a1", 0.8);
  static final AtomicInteger ids = new AtomicInteger();
  static ClusterSharding sharding;

  @BeforeAll
  static void start() {
    Cluster cluster = Cluster.get(kit.system());
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    until(() -> cluster.selfMember().status(), MemberStatus.up()::equals, "the node to be up");
    DatasetRunner none =
        new DatasetRunner() {
          @Override
          public CompletionStage<akka.Done> start(String taskId, TaskSpec spec) {
            return CompletableFuture.failedFuture(new IllegalStateException("no datasets here"));
          }

          @Override
          public void stop(String taskId) {}
        };
    HiveSettings settings = HiveSettings.from(kit.system().settings().config());
    TaskEntity.init(kit.system(), settings, queue, none, TaskSpending.NONE, Clock.systemUTC());
    sharding = ClusterSharding.get(kit.system());
  }

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  static EntityRef<TaskProtocol.Command> ref(String id) {
    return sharding.entityRefFor(TaskEntity.TYPE_KEY, id);
  }

  static <T> T ask(
      String id,
      akka.japi.function.Function<akka.actor.typed.ActorRef<T>, TaskProtocol.Command> msg) {
    return ref(id).ask(msg, Duration.ofSeconds(5)).toCompletableFuture().join();
  }

  static String submitted(Dependencies parent) {
    String id = "await-" + ids.incrementAndGet();
    TaskSpec spec = TaskEntityTest.spec(1);
    TaskAwaitTest.<TaskReplies.SubmitReply>ask(
        id,
        r ->
            new TaskProtocol.Submit(
                parent == null ? spec : spec.withDependencies(parent), null, r));
    return id;
  }

  static Task get(String id) {
    return TaskAwaitTest.<Task>ask(id, TaskProtocol.Get::new);
  }

  /** Runs one attempt of {@code id} on {@code agent} and settles it with {@code outcome}. */
  static void ran(String id, String agent, Outcome outcome) {
    TaskAwaitTest.<TaskReplies.StartReply>ask(id, r -> new TaskProtocol.Start(agent, REASON, r));
    TaskReplies.Verdict v =
        ask(
            id,
            r ->
                new TaskProtocol.Settle(
                    agent, 0, outcome, new AgentOutcome(agent, 5, 11, List.of()), r));
    assertTrue(v.ended(), "the settle ended the attempt");
  }

  static Outcome awaiting(String... subtasks) {
    return new Outcome(
        Outcome.Kind.AWAITING_SUBTASKS,
        new TaskResult(false, null, null, 5, null),
        List.of(subtasks));
  }

  static Outcome done(String answer) {
    return new Outcome(
        Outcome.Kind.FINISHED, new TaskResult(true, TextNode.valueOf(answer), null, 5, null));
  }

  @Test
  void aSubtaskThatEndsReleasesTheParentThatAwaitsIt() {
    String parent = submitted(null);
    String child = submitted(Dependencies.ofParent(parent, 1));
    ran(parent, "a1", awaiting(child));
    Task blocked = get(parent);
    assertEquals(TaskStatus.BLOCKED, blocked.status());
    assertEquals(List.of(child), blocked.awaiting());
    assertEquals(2, blocked.spec().maxAttempts(), "the awaiting attempt costs no place");

    ran(child, "a2", done("the child's answer"));
    Task released = until(() -> get(parent), t -> t.status() == TaskStatus.PENDING, "released");
    assertEquals(List.of(), released.awaiting());
    DependencyOutput out = released.dependencies().get(0);
    assertEquals("subtask-1", out.name());
    assertEquals(child, out.taskId());
    assertEquals(TaskStatus.COMPLETED, out.status());
    assertEquals("the child's answer", out.output().asText());

    // its next attempt is a new run that may end it
    ran(parent, "a1", done("the parent's answer"));
    Task completed = get(parent);
    assertEquals(TaskStatus.COMPLETED, completed.status());
    assertEquals(2, completed.attempts());
    assertEquals(2, completed.run(), "the run after an awaiting one has its own id");
  }

  @Test
  void withoutAWordFromItsSubtaskTheParentIsReleasedByItsWakeUp() {
    String parent = submitted(null);
    // not its subtask by spec, so it never tells the parent: as a word lost with a node
    String other = submitted(null);
    Instant before = Instant.now();
    ran(parent, "a1", awaiting(other));
    TaskQueue.TaskChange change =
        until(
            () ->
                queue.changes.stream()
                    .filter(c -> c.taskId().equals(parent) && c.to() == TaskStatus.BLOCKED)
                    .findFirst()
                    .orElse(null),
            c -> c != null,
            "the matcher told of the parent's wait");
    assertNotNull(change.wakeAt(), "the matcher keeps a wake-up for it");
    assertFalse(change.wakeAt().isBefore(before.plus(TaskAwaitHandlers.LOOK_AGAIN)));

    ran(other, "a2", done("ended unheard"));
    assertEquals(TaskStatus.BLOCKED, get(parent).status(), "no word came");

    TestProbe<TaskProtocol.Woken> probe = kit.createTestProbe();
    ref(parent).tell(new TaskProtocol.Wake(probe.getRef()));
    TaskProtocol.Woken woken = probe.receiveMessage();
    assertTrue(woken.wakeAt().isAfter(Instant.now()), "still waiting, it looks again later");
    Task released = until(() -> get(parent), t -> t.status() == TaskStatus.PENDING, "released");
    assertEquals("ended unheard", released.dependencies().get(0).output().asText());
  }

  @Test
  void anAttemptThatAwaitedTakesNoStepOnTheLadder() {
    String parent = "await-" + ids.incrementAndGet();
    TaskSpec laddered =
        TaskEntityTest.spec(2)
            .withEscalation(
                List.of(new EscalationRung("cheap", 0.5), new EscalationRung("strong", 0.7)));
    TaskAwaitTest.<TaskReplies.SubmitReply>ask(
        parent, r -> new TaskProtocol.Submit(laddered, null, r));
    String child = submitted(Dependencies.ofParent(parent, 1));
    ran(parent, "a1", awaiting(child));
    ran(child, "a2", done("ok"));
    Task released = until(() -> get(parent), t -> t.status() == TaskStatus.PENDING, "released");
    assertEquals(3, released.spec().maxAttempts());
    assertTrue(
        released.requirementsNow().contains(new RequiredCapability("cheap", 0.5)),
        "the run after the awaiting one is on the same rung: " + released.requirementsNow());
    Outcome failed =
        new Outcome(Outcome.Kind.FINISHED, new TaskResult(false, null, "no good", 5, null));
    ran(parent, "a1", failed);
    Task retried = get(parent);
    assertEquals(TaskStatus.PENDING, retried.status(), "a failed attempt still has its retry");
    assertTrue(
        retried.requirementsNow().contains(new RequiredCapability("strong", 0.7)),
        "the attempt after a failed one is on the next rung: " + retried.requirementsNow());
  }

  /**
   * A workflow's step that hands its work to subtasks: the workflow's release sent again (after it
   * restarted) does not cut its wait short, its own dependency stays, and a second wait's subtasks
   * are numbered on from the first's.
   */
  @Test
  void aWorkflowStepWaitingForItsSubtasksIsNotReleasedByItsWorkflowAgain() {
    String step = "await-" + ids.incrementAndGet();
    TaskSpec spec =
        TaskEntityTest.spec(1)
            .withDependencies(new Dependencies(List.of("up"), false, "wf-1", "write", null, 0));
    TaskAwaitTest.<TaskReplies.SubmitReply>ask(step, r -> new TaskProtocol.Submit(spec, null, r));
    DependencyOutput up =
        new DependencyOutput("up", "draft", TaskStatus.COMPLETED, TextNode.valueOf("a draft"));
    TaskAwaitTest.<akka.pattern.StatusReply<Task>>ask(
        step, r -> new TaskProtocol.Release(List.of(up), r)); // its workflow releases it
    String first = submitted(Dependencies.ofParent(step, 1));
    ran(step, "a1", awaiting(first));

    // the workflow, started again, releases its step again, and hears how it stands
    akka.pattern.StatusReply<Task> again =
        TaskAwaitTest.<akka.pattern.StatusReply<Task>>ask(
            step, r -> new TaskProtocol.Release(List.of(up), r));
    assertEquals(TaskStatus.BLOCKED, again.getValue().status());
    assertEquals(List.of(first), get(step).awaiting(), "still waiting for its subtask");

    ran(first, "a2", done("first part"));
    Task released = until(() -> get(step), t -> t.status() == TaskStatus.PENDING, "released");
    assertEquals(
        List.of("draft", "subtask-1"),
        released.dependencies().stream().map(DependencyOutput::name).toList());

    String second = submitted(Dependencies.ofParent(step, 1));
    ran(step, "a1", awaiting(second));
    ran(second, "a2", done("second part"));
    Task again2 = until(() -> get(step), t -> t.status() == TaskStatus.PENDING, "released again");
    assertEquals(
        List.of("draft", "subtask-1", "subtask-2"),
        again2.dependencies().stream().map(DependencyOutput::name).toList());
    assertEquals("second part", again2.dependencies().get(2).output().asText());
  }
}
