package io.agenthive.workflow;

import static io.agenthive.testing.Eventually.staysFor;
import static io.agenthive.testing.Eventually.until;
import static org.junit.jupiter.api.Assertions.*;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.pattern.StatusReply;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.typesafe.config.ConfigFactory;
import io.agenthive.access.Principal;
import io.agenthive.common.FieldError;
import io.agenthive.common.HiveException;
import io.agenthive.common.HiveSettings;
import io.agenthive.common.Refusal;
import io.agenthive.task.Dependencies;
import io.agenthive.task.DependencyOutput;
import io.agenthive.task.Priority;
import io.agenthive.task.RequiredCapability;
import io.agenthive.task.TaskProtocol;
import io.agenthive.task.TaskRefs;
import io.agenthive.task.TaskResult;
import io.agenthive.task.TaskSpec;
import io.agenthive.task.TaskStatus;
import io.agenthive.testing.StandInTasks;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One workflow entity, its steps' tasks a stand-in sharded on a one-node cluster: what it journals
 * and answers, which tasks it submits, releases, fails or cancels, when it leaves memory, and what
 * it does again after recovery. (The graph checks are WorkflowGraph's; a step's own life is
 * TaskEntityTest's.)
 */
class WorkflowEntityTest {
  static final ActorTestKit kit =
      ActorTestKit.create(
          EventSourcedBehaviorTestKit.config()
              .withFallback(ConfigFactory.load("application-test")));
  static final HiveSettings settings = HiveSettings.from(kit.system().settings().config());
  static final StandInTasks tasks = StandInTasks.start(kit.system());
  static final Instant T = Instant.parse("2026-12-02T10:15:00Z");

  /**
   * With an input: a null input comes back from the journal as a JSON null node, so events and
   * states read back would not equal the ones written (see the report of this test's commit).
   */
  static final TaskSpec SPEC =
      new TaskSpec(
          "step",
          "",
          "general",
          Priority.HIGH,
          List.of(new RequiredCapability("code", 0.5)),
          JsonNodeFactory.instance.objectNode().put("prompt", "go"),
          null,
          3,
          60_000L,
          null);

  /** Long: the re-driving timer stays out of these tests, except where recovery re-drives. */
  static final Duration REWATCH = Duration.ofHours(1);

  // every test its own workflow, so its own tasks on the shared stand-in
  final String wf = "wf-" + UUID.randomUUID();
  TestProbe<ClusterSharding.ShardCommand> shard;
  EventSourcedBehaviorTestKit<WorkflowProtocol.Command, WorkflowEvent, Workflow> entity;

  @AfterAll
  static void shutdown() {
    kit.shutdownTestKit();
  }

  @BeforeEach
  void create() {
    shard = kit.createTestProbe(ClusterSharding.ShardCommand.class);
    entity =
        EventSourcedBehaviorTestKit.create(
            kit.system(),
            WorkflowEntity.create(
                wf, settings, REWATCH, shard.ref(), Clock.fixed(T, ZoneOffset.UTC)));
  }

  String id(String step) {
    return wf + ":" + step;
  }

  /** A step as Workflows journals it: its dependencies' task ids, also set in its task's spec. */
  WorkflowNode step(String name, boolean runOnFailure, String... dependsOn) {
    List<String> on = Arrays.stream(dependsOn).map(this::id).toList();
    return new WorkflowNode(
        name, id(name), SPEC.withDependencies(new Dependencies(on, runOnFailure, wf, name)), on);
  }

  Workflow created(WorkflowNode... steps) {
    List<WorkflowNode> nodes = List.of(steps);
    var result =
        entity.<StatusReply<Workflow>>runCommand(
            r -> new WorkflowProtocol.Create("flow", nodes, "user:ann", r));
    assertEquals(
        List.of(new WorkflowEvent.WorkflowSubmitted(wf, "flow", nodes, T, "user:ann")),
        List.copyOf(result.events()));
    assertTrue(result.reply().isSuccess(), () -> "refused: " + result.reply());
    return result.reply().getValue();
  }

  List<Object> journal() {
    return List.copyOf(entity.persistenceTestKit().persistedInStorage("Workflow|" + wf));
  }

  Workflow ended() {
    return until(() -> entity.getState(), w -> w.endedAs() != null, "workflow " + wf + " to end");
  }

  static JsonNode output(int answer) {
    return JsonNodeFactory.instance.objectNode().put("answer", answer);
  }

  @Test
  void aCreateJournalsEveryStepAtOnceAnswersOnceEachIsSubmittedAndWatchesThem() {
    WorkflowNode a = step("a", false);
    WorkflowNode b = step("b", false, "a");
    Workflow w = created(a, b);

    assertEquals(List.of(a, b), w.nodes());
    assertEquals("running", w.status());
    // answered only once each step's task answered its submission
    for (WorkflowNode n : List.of(a, b)) {
      List<TaskProtocol.Submit> submits = tasks.seen(n.taskId(), TaskProtocol.Submit.class);
      assertEquals(1, submits.size(), "submitted once: " + n.name());
      assertEquals(n.spec(), submits.get(0).spec());
      assertEquals("user:ann", submits.get(0).by());
    }
    assertEquals(TaskStatus.PENDING, tasks.get(a.taskId()).status());
    assertEquals(TaskStatus.BLOCKED, tasks.get(b.taskId()).status(), "b waits: blocked");
    tasks.await(a.taskId(), TaskProtocol.AwaitEnd.class);
    tasks.await(b.taskId(), TaskProtocol.AwaitEnd.class);
    assertTrue(tasks.seen(b.taskId(), TaskProtocol.Release.class).isEmpty(), "a has not ended");
    assertEquals(1, journal().size());
  }

  @Test
  void aCompletedStepReleasesItsDependentWithItsOutputAndTheLastEndEndsTheWorkflow() {
    WorkflowNode a = step("a", false);
    WorkflowNode b = step("b", false, "a");
    created(a, b);

    tasks.end(a.taskId(), TaskStatus.COMPLETED, new TaskResult(true, output(42), null, 5, 1.0));
    TaskProtocol.Release release = tasks.await(b.taskId(), TaskProtocol.Release.class);
    assertEquals(
        List.of(new DependencyOutput(a.taskId(), "a", TaskStatus.COMPLETED, output(42))),
        release.dependencies());
    assertEquals(TaskStatus.PENDING, tasks.get(b.taskId()).status());
    assertNull(entity.getState().endedAs(), "b has not ended");
    shard.expectNoMessage(Duration.ofMillis(200)); // a workflow still running stays

    tasks.end(b.taskId(), TaskStatus.COMPLETED, new TaskResult(true, output(7), null, 5, 1.0));
    assertEquals("completed", ended().endedAs());
    assertEquals(new WorkflowEvent.WorkflowEnded("completed", T), journal().get(1));
    assertEquals(2, journal().size(), "a step's progress is the task's to journal, not this's");
    shard.expectMessageClass(ClusterSharding.Passivate.class); // its last step ended: it leaves
    assertTrue(tasks.seen(b.taskId(), TaskProtocol.FailDependency.class).isEmpty());
  }

  @Test
  void aFailedStepFailsItsDependentsExceptThoseThatRunOnDependencyFailure() {
    WorkflowNode a = step("a", false);
    WorkflowNode b = step("b", false, "a");
    WorkflowNode c = step("c", true, "a");
    created(a, b, c);

    tasks.end(a.taskId(), TaskStatus.FAILED, new TaskResult(false, null, "boom", 5, null));
    // no output: a JSON null once serialized, as every message here is (serialize-messages)
    DependencyOutput failedA =
        new DependencyOutput(a.taskId(), "a", TaskStatus.FAILED, NullNode.getInstance());
    assertEquals(failedA, tasks.await(b.taskId(), TaskProtocol.FailDependency.class).failed());
    assertEquals(
        List.of(failedA), tasks.await(c.taskId(), TaskProtocol.Release.class).dependencies());
    assertTrue(tasks.seen(b.taskId(), TaskProtocol.Release.class).isEmpty());
    assertTrue(tasks.seen(c.taskId(), TaskProtocol.FailDependency.class).isEmpty());

    // b failed with its dependency (the stand-in ends it, as the task would); c still runs
    assertNull(entity.getState().endedAs());
    tasks.end(c.taskId(), TaskStatus.COMPLETED, new TaskResult(true, output(1), null, 5, 1.0));
    assertEquals("failed", ended().endedAs());
    shard.expectMessageClass(ClusterSharding.Passivate.class);
  }

  @Test
  void aCancelIsJournaledCancelsEveryUnendedStepAndReleasesNothingAfter() {
    WorkflowNode a = step("a", false);
    WorkflowNode b = step("b", false, "a");
    created(a, b);

    var cancel =
        entity.<StatusReply<Workflow>>runCommand(r -> new WorkflowProtocol.Cancel("user:bob", r));
    assertEquals(new WorkflowEvent.WorkflowCancelled(T, "user:bob"), cancel.event());
    assertEquals("cancelling", cancel.reply().getValue().status());
    assertEquals("user:bob", tasks.await(a.taskId(), TaskProtocol.Cancel.class).by());
    assertEquals("user:bob", tasks.await(b.taskId(), TaskProtocol.Cancel.class).by());

    // both steps end cancelled: the workflow ends so, and a's end releases nothing
    assertEquals("cancelled", ended().endedAs());
    staysFor(
        Duration.ofMillis(300),
        () ->
            tasks.seen(b.taskId(), TaskProtocol.Release.class).isEmpty()
                && tasks.seen(b.taskId(), TaskProtocol.FailDependency.class).isEmpty(),
        "nothing released or failed after the cancel");
    shard.expectMessageClass(ClusterSharding.Passivate.class);

    var again =
        entity.<StatusReply<Workflow>>runCommand(r -> new WorkflowProtocol.Cancel("user:bob", r));
    assertTrue(again.hasNoEvents());
    assertInstanceOf(Refusal.Conflict.class, again.reply().getError());
  }

  @Test
  void cancellingAWorkflowThatDoesNotExistIsRefusedAsNotFoundAndItLeavesMemory() {
    var result =
        entity.<StatusReply<Workflow>>runCommand(r -> new WorkflowProtocol.Cancel("user:bob", r));
    assertTrue(result.hasNoEvents());
    assertInstanceOf(Refusal.NotFound.class, result.reply().getError());
    shard.expectMessageClass(ClusterSharding.Passivate.class);
    assertFalse(result.state().exists());
  }

  @Test
  void aSecondCreateFindsTheFirstAndJournalsAndSubmitsNothing() {
    WorkflowNode a = step("a", false);
    Workflow first = created(a);

    WorkflowNode other = step("x", false);
    var again =
        entity.<StatusReply<Workflow>>runCommand(
            r -> new WorkflowProtocol.Create("other", List.of(other), "user:bob", r));
    assertTrue(again.hasNoEvents());
    assertEquals(first, again.reply().getValue());
    staysFor(
        Duration.ofMillis(300),
        () -> tasks.seen(other.taskId(), TaskProtocol.Submit.class).isEmpty(),
        "no step of the second create submitted");
    assertEquals(1, tasks.seen(a.taskId(), TaskProtocol.Submit.class).size());
  }

  @Test
  void anInvalidWorkflowIsRefusedWithItsFieldErrorsBeforeAnythingIsAsked() {
    Workflows workflows =
        new Workflows(kit.system(), new TaskRefs(kit.system(), settings.askTimeout()), settings);
    var cycle =
        new WorkflowSpec(
            "loop",
            List.of(
                new WorkflowSpec.Step("a", SPEC, List.of("b"), false),
                new WorkflowSpec.Step("b", SPEC, List.of("a"), false)),
            "k-" + UUID.randomUUID());
    HiveException refused = refusal(workflows, cycle);
    assertEquals(HiveException.Kind.INVALID, refused.kind());
    assertEquals(
        List.of(new FieldError("tasks", "depends_on forms a cycle: a -> b -> a")),
        refused.fieldErrors());

    String missing = "no-such-task-" + UUID.randomUUID();
    var outside =
        new WorkflowSpec(
            "outside",
            List.of(new WorkflowSpec.Step("a", SPEC, List.of(missing), false)),
            "k-" + UUID.randomUUID());
    HiveException unknown = refusal(workflows, outside);
    assertEquals(HiveException.Kind.INVALID, unknown.kind());
    assertEquals(
        List.of(new FieldError("tasks", "depends on tasks that do not exist: " + missing)),
        unknown.fieldErrors());
    // the stand-in logs a command once it answered it: the refusal may come before the log
    tasks.await(missing, TaskProtocol.Get.class);
    assertEquals(1, tasks.seen(missing, TaskProtocol.Get.class).size(), "asked whether it exists");
    assertTrue(tasks.seen(missing, TaskProtocol.Submit.class).isEmpty());
  }

  static HiveException refusal(Workflows workflows, WorkflowSpec spec) {
    CompletionException e =
        assertThrows(
            CompletionException.class,
            () -> workflows.submit(spec, Principal.HUB).toCompletableFuture().join());
    return assertInstanceOf(HiveException.class, e.getCause());
  }

  @Test
  void recoveryGivesTheSameStateAndDoesAgainWhatMayHaveBeenLost() {
    WorkflowNode a = step("a", false);
    WorkflowNode b = step("b", false, "a");
    created(a, b);
    tasks.end(a.taskId(), TaskStatus.COMPLETED, new TaskResult(true, output(42), null, 5, 1.0));
    tasks.await(b.taskId(), TaskProtocol.Release.class);
    Workflow before = entity.getState();

    var restarted = entity.restart();
    assertEquals(before, restarted.state());
    // what it learned from its tasks was in memory only: it submits again (the tasks find their
    // first submission), hears again that a ended, and releases b again (idempotent at b)
    until(
        () -> tasks.seen(a.taskId(), TaskProtocol.Submit.class),
        l -> l.size() == 2,
        "a submitted again");
    until(
        () -> tasks.seen(b.taskId(), TaskProtocol.Release.class),
        l -> l.size() == 2,
        "b released again");
    shard.expectNoMessage(Duration.ofMillis(200));
  }

  @Test
  void aWorkflowThatEndedLeavesMemoryAtOnceWhenRecoveredAndDrivesNothing() {
    WorkflowNode a = step("a", false);
    created(a);
    tasks.end(a.taskId(), TaskStatus.COMPLETED, new TaskResult(true, output(1), null, 5, 1.0));
    Workflow done = ended();
    shard.expectMessageClass(ClusterSharding.Passivate.class);

    var restarted = entity.restart();
    assertEquals(done, restarted.state());
    shard.expectMessageClass(ClusterSharding.Passivate.class);
    staysFor(
        Duration.ofMillis(300),
        () -> tasks.seen(a.taskId(), TaskProtocol.Submit.class).size() == 1,
        "an ended workflow submitting nothing again");
  }
}
