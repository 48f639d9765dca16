package io.agenthive.task;

import static org.junit.jupiter.api.Assertions.*;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.pattern.StatusReply;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import com.typesafe.config.ConfigFactory;
import io.agenthive.common.HiveSettings;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One task entity on its own: the events each command journals, and recovery. */
class TaskEntityTest {
  static final ActorTestKit kit =
      ActorTestKit.create(
          EventSourcedBehaviorTestKit.config()
              .withFallback(ConfigFactory.load("application-test")));
  static final HiveSettings settings = HiveSettings.from(kit.system().settings().config());
  static final AssignmentReason REASON =
      new AssignmentReason("p", 1, List.of(new AssignmentReason.Candidate("a1", 0.8)), "a1", 0.8);
  static final AgentOutcome LEARNED =
      new AgentOutcome("a1", 7, 0, List.of(new LearningChange("code", 0.8, 0.81)));

  /** The queue as the entity sees it: admits unless told the queue is full, notes changes. */
  static final class Queue implements TaskQueue {
    final List<TaskChange> changes = new CopyOnWriteArrayList<>();
    final AtomicInteger asked = new AtomicInteger();
    volatile boolean full;
    // when set, the next admission waits for this answer (later ones are answered at once)
    final AtomicReference<CompletableFuture<Admission>> held = new AtomicReference<>();

    @Override
    public CompletionStage<Admission> admit(QueuedTask task) {
      asked.incrementAndGet();
      CompletableFuture<Admission> answer = held.getAndSet(null);
      return answer != null
          ? answer
          : CompletableFuture.completedFuture(full ? new QueueFull(1) : new Admitted());
    }

    @Override
    public void changed(TaskChange change) {
      changes.add(change);
    }
  }

  final Queue queue = new Queue();
  EventSourcedBehaviorTestKit<TaskProtocol.Command, TaskEvent, Task> entity;

  @AfterAll
  static void shutdown() {
    kit.shutdownTestKit();
  }

  @BeforeEach
  void create() {
    DatasetRunner noDatasets =
        new DatasetRunner() {
          @Override
          public CompletionStage<akka.Done> start(String taskId, TaskSpec spec) {
            return CompletableFuture.failedFuture(new IllegalStateException("no datasets here"));
          }

          @Override
          public void stop(String taskId) {}
        };
    entity =
        EventSourcedBehaviorTestKit.create(
            kit.system(),
            TaskEntity.create(
                "t-1", settings, new TaskEntity.Links(queue, noDatasets, null), Clock.systemUTC()));
  }

  static TaskSpec spec(int maxAttempts) {
    return new TaskSpec(
        "title",
        "",
        "general",
        Priority.HIGH,
        List.of(new RequiredCapability("code", 0.5)),
        null,
        null,
        maxAttempts,
        60_000L,
        null);
  }

  void submitted(int maxAttempts) {
    var result =
        entity.<TaskReplies.SubmitReply>runCommand(
            r -> new TaskProtocol.Submit(spec(maxAttempts), null, r));
    assertInstanceOf(TaskReplies.Accepted.class, result.reply());
  }

  @Test
  void aTaskThatSucceedsFirstTimeJournalsThreeEvents() {
    var submit =
        entity.<TaskReplies.SubmitReply>runCommand(r -> new TaskProtocol.Submit(spec(3), null, r));
    assertInstanceOf(TaskEvent.TaskSubmitted.class, submit.event());
    assertTrue(((TaskReplies.Accepted) submit.reply()).created());

    var start =
        entity.<TaskReplies.StartReply>runCommand(r -> new TaskProtocol.Start("a1", REASON, r));
    assertEquals(
        new TaskEvent.TaskStarted("a1", 1, start.state().startedAt(), REASON), start.event());
    assertEquals(new TaskReplies.Run(1, start.state().spec()), start.reply());

    var settle =
        entity.<TaskReplies.Verdict>runCommand(
            r ->
                new TaskProtocol.Settle(
                    "a1",
                    1,
                    new Outcome(Outcome.Kind.FINISHED, new TaskResult(true, null, null, 7, 1.0)),
                    LEARNED,
                    r));
    TaskEvent.TaskCompleted done = settle.eventOfType(TaskEvent.TaskCompleted.class);
    assertEquals(LEARNED, done.agent(), "the agent's learning is journaled with the outcome");
    assertTrue(settle.reply().ended());
    assertEquals(TaskStatus.COMPLETED, settle.state().status());
    assertEquals(
        List.of(TaskStatus.PENDING, TaskStatus.RUNNING, TaskStatus.COMPLETED),
        queue.changes.stream().map(TaskQueue.TaskChange::to).toList());
    assertEquals(REASON, settle.state().assignmentReason());
  }

  @Test
  void aLaterTryOfTheSameRequestIsToldCreatedAndAnotherRequestIsNot() {
    var first =
        entity.<TaskReplies.SubmitReply>runCommand(
            r -> new TaskProtocol.Submit(spec(3), "key:k", "request-1", r));
    assertTrue(((TaskReplies.Accepted) first.reply()).created());
    // its first answer was lost on the way: the caller's next try meets the task it made
    var again =
        entity.<TaskReplies.SubmitReply>runCommand(
            r -> new TaskProtocol.Submit(spec(3), "key:k", "request-1", r));
    assertTrue(again.hasNoEvents());
    assertTrue(((TaskReplies.Accepted) again.reply()).created(), "the same request made it");
    var other =
        entity.<TaskReplies.SubmitReply>runCommand(
            r -> new TaskProtocol.Submit(spec(3), "key:k", "request-2", r));
    assertFalse(((TaskReplies.Accepted) other.reply()).created(), "an idempotent replay");
    var none =
        entity.<TaskReplies.SubmitReply>runCommand(r -> new TaskProtocol.Submit(spec(3), null, r));
    assertFalse(((TaskReplies.Accepted) none.reply()).created());
  }

  @Test
  void laterTriesOfASubmissionBeingAdmittedGetItsAnswerAndStartNoAdmissionOfTheirOwn() {
    CompletableFuture<TaskQueue.Admission> held = new CompletableFuture<>();
    queue.held.set(held);
    var first = kit.<TaskReplies.SubmitReply>createTestProbe();
    var later = kit.<TaskReplies.SubmitReply>createTestProbe();
    var another = kit.<TaskReplies.SubmitReply>createTestProbe();
    entity.runCommand(new TaskProtocol.Submit(spec(3), null, "r1", first.ref()));
    entity.runCommand(new TaskProtocol.Submit(spec(3), null, "r1", later.ref()));
    entity.runCommand(new TaskProtocol.Submit(spec(3), null, "r2", another.ref()));
    // the matcher could not be asked: the submission and its later try hear so together
    held.completeExceptionally(new TimeoutException("no matcher"));
    assertInstanceOf(TaskReplies.Unavailable.class, first.receiveMessage());
    assertInstanceOf(TaskReplies.Unavailable.class, later.receiveMessage());
    // another request, stashed meanwhile, asks again on its own; this time it is admitted
    var accepted = (TaskReplies.Accepted) another.receiveMessage();
    assertTrue(accepted.created());
    assertEquals(2, queue.asked.get(), "one admission per request, none for the later try");
  }

  @Test
  void aLaterTryDuringAdmissionIsToldCreatedOnceItIsAdmitted() {
    CompletableFuture<TaskQueue.Admission> held = new CompletableFuture<>();
    queue.held.set(held);
    var first = kit.<TaskReplies.SubmitReply>createTestProbe();
    var later = kit.<TaskReplies.SubmitReply>createTestProbe();
    entity.runCommand(new TaskProtocol.Submit(spec(3), null, "r1", first.ref()));
    entity.runCommand(new TaskProtocol.Submit(spec(3), null, "r1", later.ref()));
    held.complete(new TaskQueue.Admitted());
    assertTrue(((TaskReplies.Accepted) first.receiveMessage()).created());
    assertTrue(((TaskReplies.Accepted) later.receiveMessage()).created());
    assertEquals(1, queue.asked.get());
  }

  @Test
  void aFullQueueRefusesWithoutJournalingAnything() {
    queue.full = true;
    var result =
        entity.<TaskReplies.SubmitReply>runCommand(r -> new TaskProtocol.Submit(spec(3), null, r));
    assertEquals(new TaskReplies.QueueFull(1), result.reply());
    assertTrue(result.hasNoEvents());
    assertFalse(result.state().exists());
  }

  @Test
  void onlyAPendingTaskStartsAndOnlyItsRunningAttemptSettles() {
    submitted(3);
    entity.<TaskReplies.StartReply>runCommand(r -> new TaskProtocol.Start("a1", REASON, r));
    var second =
        entity.<TaskReplies.StartReply>runCommand(r -> new TaskProtocol.Start("a2", REASON, r));
    assertTrue(second.hasNoEvents());
    assertEquals(TaskStatus.RUNNING, ((TaskReplies.Refused) second.reply()).status());

    Outcome ok = new Outcome(Outcome.Kind.FINISHED, new TaskResult(true, null, null, 1, null));
    var otherAgent =
        entity.<TaskReplies.Verdict>runCommand(r -> new TaskProtocol.Settle("a2", 1, ok, null, r));
    var staleAttempt =
        entity.<TaskReplies.Verdict>runCommand(r -> new TaskProtocol.Settle("a1", 2, ok, null, r));
    assertTrue(otherAgent.hasNoEvents());
    assertTrue(staleAttempt.hasNoEvents());
    assertFalse(staleAttempt.reply().ended());
    assertEquals(TaskStatus.RUNNING, staleAttempt.state().status());
  }

  @Test
  void aFailedAttemptIsRetriedWithBackoffThenTheTaskFailsForGood() {
    submitted(2);
    Outcome failed = Outcome.of(Outcome.Kind.FINISHED, "nope", 3);
    entity.<TaskReplies.StartReply>runCommand(r -> new TaskProtocol.Start("a1", REASON, r));
    var first =
        entity.<TaskReplies.Verdict>runCommand(
            r -> new TaskProtocol.Settle("a1", 1, failed, null, r));
    TaskEvent.TaskFailed retried = first.eventOfType(TaskEvent.TaskFailed.class);
    assertTrue(retried.willRetry());
    assertEquals(TaskStatus.PENDING, first.reply().status());
    assertNotNull(first.reply().retryAt());

    entity.<TaskReplies.StartReply>runCommand(r -> new TaskProtocol.Start("a1", REASON, r));
    var last =
        entity.<TaskReplies.Verdict>runCommand(
            r -> new TaskProtocol.Settle("a1", 2, failed, null, r));
    assertFalse(last.eventOfType(TaskEvent.TaskFailed.class).willRetry());
    assertEquals(TaskStatus.FAILED, last.state().status());
    assertEquals(2, last.state().attempts());
  }

  @Test
  void aCancelledTaskEndsAndReportsItsChange() {
    submitted(3);
    var cancel = entity.<StatusReply<Task>>runCommand(r -> new TaskProtocol.Cancel("user:test", r));
    assertInstanceOf(TaskEvent.TaskCancelled.class, cancel.event());
    assertEquals(TaskStatus.CANCELLED, cancel.reply().getValue().status());
    var again = entity.<StatusReply<Task>>runCommand(r -> new TaskProtocol.Cancel("user:test", r));
    assertTrue(again.reply().isError());
    assertInstanceOf(io.agenthive.common.Refusal.Conflict.class, again.reply().getError());
  }

  @Test
  void recoveryRebuildsTheSameTaskFromItsEvents() {
    submitted(3);
    entity.<TaskReplies.StartReply>runCommand(r -> new TaskProtocol.Start("a1", REASON, r));
    Task before = entity.getState();
    entity.restart();
    assertEquals(before, entity.getState());
  }

  /** An entity of a task never journaled, on a stand-in shard that notes who asks to leave. */
  EventSourcedBehaviorTestKit<TaskProtocol.Command, TaskEvent, Task> unknown(
      String id, akka.actor.typed.ActorRef<ClusterSharding.ShardCommand> shard) {
    return EventSourcedBehaviorTestKit.create(
        kit.system(),
        TaskEntity.create(
            id, settings, new TaskEntity.Links(queue, null, shard), Clock.systemUTC()));
  }

  @Test
  void aSettleOrStartForATaskTheJournalDoesNotHoldLeavesMemoryAtOnce() {
    // a node that was frozen may still write such a task: the next message must read it afresh,
    // not meet an incarnation that answers "unknown" for as long as it stays
    var shard = kit.<ClusterSharding.ShardCommand>createTestProbe();
    var settle =
        unknown("t-unknown-1", shard.getRef())
            .<TaskReplies.Verdict>runCommand(
                r ->
                    new TaskProtocol.Settle(
                        "a1", 1, Outcome.of(Outcome.Kind.LOST, "its node left", 0), null, r));
    assertTrue(settle.hasNoEvents());
    assertFalse(settle.reply().ended());
    shard.expectMessageClass(ClusterSharding.Passivate.class);

    var start =
        unknown("t-unknown-2", shard.getRef())
            .<TaskReplies.StartReply>runCommand(r -> new TaskProtocol.Start("a1", REASON, r));
    assertTrue(start.hasNoEvents());
    shard.expectMessageClass(ClusterSharding.Passivate.class);
  }
}
