package io.agenthive.skill.a2a;

import akka.actor.typed.ActorSystem;
import akka.pattern.Patterns;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agenthive.common.Failures;
import io.agenthive.skill.SkillRequest;
import io.agenthive.skill.a2a.A2aSkill.Calls;
import io.agenthive.skill.guard.EndpointGuard;
import io.agenthive.skill.guard.OutputTooLarge;
import io.agenthive.skill.guard.ProviderFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt as a remote task: sends the message (returning at once, so that the remote task's id
 * is known and it can be cancelled), or streams it when the card offers streaming; then polls
 * {@code GetTask} with a growing pause (250 ms doubling to 5 s) until the task settles, the
 * attempt's deadline passes or the hive abandons the attempt; a few transient poll failures in a
 * row (a refused rate-limit slot, a 503) are polled past. Abandoned, or failed on the hub's side:
 * the remote task is cancelled ({@code CancelTask} outside the rate limit and circuit breaker,
 * retried twice, best effort, once its id is known).
 */
final class RemoteAttempt {
  private static final Logger log = LoggerFactory.getLogger(RemoteAttempt.class);
  static final Duration FIRST_PAUSE = Duration.ofMillis(250);
  static final Duration LONGEST_PAUSE = Duration.ofSeconds(5);
  static final Duration DEADLINE_GRACE = Duration.ofSeconds(1);
  // a poll refused by the rate limiter or answered 503 once is no reason to give up a long task
  static final int TOLERATED_POLL_FAILURES = 3;
  static final int CANCEL_RETRIES = 2;

  private final A2aCard card;
  private final A2aConfig config;
  private final A2aHttp http;
  private final Calls calls;
  private final EndpointGuard guard;
  private final ActorSystem<?> system;
  private final SkillRequest request;
  private final ObjectMapper json;
  private final AtomicReference<String> remoteId = new AtomicReference<>();
  private final AtomicBoolean abandoned = new AtomicBoolean();
  private final AtomicBoolean cancelSent = new AtomicBoolean();
  private volatile boolean settled;
  // the attempt failed on the hub's side (e.g. no first stream line within the call timeout):
  // a remote id learned afterwards still gets its task cancelled
  private volatile boolean givenUp;
  private volatile A2aStream stream; // a streamed send's, closed once the remote task is cancelled

  RemoteAttempt(
      A2aCard card,
      A2aConfig config,
      A2aHttp http,
      Calls calls,
      EndpointGuard guard,
      ActorSystem<?> system,
      SkillRequest request,
      CompletionStage<Void> abandonedSignal) {
    this.card = card;
    this.config = config;
    this.http = http;
    this.calls = calls;
    this.guard = guard;
    this.system = system;
    this.request = request;
    this.json = http.json();
    abandonedSignal.thenRun(this::onAbandoned);
  }

  CompletionStage<RemoteTask> run() {
    if (abandoned.get()) { // while the card was being read: no remote task to start, or cancel
      return CompletableFuture.failedFuture(
          ProviderFailure.transientError("the attempt was abandoned before its message was sent"));
    }
    A2aDialect d = card.dialect();
    ObjectNode params = d.sendParams(json, messageId(), RemoteInput.text(request), metadata());
    CompletionStage<RemoteTask> first;
    if (card.streaming() && config.streaming()) {
      A2aStream stream = new A2aStream(http, card, request.deadline(), this::learned);
      this.stream = stream;
      first = guard.call(() -> stream.open(params)).thenCompose(opened -> stream.ended());
    } else {
      first = calls.call(d.send, params).thenApply(this::fromSendResult);
    }
    return first
        .thenCompose(task -> follow(task, FIRST_PAUSE, 0))
        .whenComplete(
            (task, error) -> {
              if (error != null) {
                // failed on the hub's side (too large, unreadable, timed out): not left running.
                // Flag first, then look for the id, as learned() sets it then looks at the flag.
                // A stream whose task id is still unknown stays open to learn it (then
                // cancelRemote() stops it), at the latest until the attempt's deadline.
                givenUp = true;
                cancelRemote();
              }
              settled = true;
            });
  }

  /** One message id per attempt: a retried attempt is a new message to the remote agent. */
  private String messageId() {
    return "hive-" + request.taskId() + "-" + request.attempt();
  }

  /** Who sent it: the hive's task and attempt, and the key a remote agent may deduplicate with. */
  private ObjectNode metadata() {
    return json.createObjectNode()
        .put("hive_task_id", request.taskId())
        .put("hive_attempt", request.attempt())
        .put("idempotency_key", request.taskId() + ":" + request.attempt());
  }

  private RemoteTask fromSendResult(JsonNode result) {
    A2aDialect.Payload p = card.dialect().payload(result);
    if ("message".equals(p.kind())) {
      return RemoteTask.ofMessage(p.body());
    }
    if (!"task".equals(p.kind())) {
      throw new ProviderFailure(
          "the A2A agent answered " + card.dialect().send + " with neither a task nor a message",
          0,
          false,
          null);
    }
    return learned(RemoteTask.of(p.body()));
  }

  /**
   * Remembers the remote task's id; cancels it at once if the attempt was abandoned or gave up
   * meanwhile.
   */
  private RemoteTask learned(RemoteTask task) {
    if (!task.id().isEmpty()
        && remoteId.compareAndSet(null, task.id())
        && (abandoned.get() || givenUp)) {
      cancelRemote();
    }
    return task;
  }

  /** {@code failures}: transient poll failures in a row so far. */
  private CompletionStage<RemoteTask> follow(RemoteTask task, Duration pause, int failures) {
    if (task.state().settled() || abandoned.get()) {
      return CompletableFuture.completedFuture(task);
    }
    if (task.id().isEmpty()) {
      throw new ProviderFailure("the A2A agent's task has no id to follow", 0, false, null);
    }
    // the agent's own timer ends the attempt at the deadline (and cancels through 'abandoned');
    // a moment later, this bounds an attempt nobody abandons, and cancels the remote task too
    Duration left = Duration.between(Instant.now(), request.deadline().plus(DEADLINE_GRACE));
    if (left.isNegative() || left.isZero()) {
      cancelRemote();
      throw ProviderFailure.transientError(
          "the remote A2A task was still " + task.state() + " at the attempt's deadline");
    }
    return Patterns.after(
            pause.compareTo(left) < 0 ? pause : left,
            system.classicSystem().scheduler(),
            system.executionContext(),
            () -> calls.call(card.dialect().get, card.dialect().taskParams(json, task.id())))
        .handle(
            (result, error) -> {
              Duration longer = pause.multipliedBy(2);
              Duration next = longer.compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : longer;
              if (error == null) {
                A2aDialect.Payload p = card.dialect().payload(result);
                return follow("task".equals(p.kind()) ? RemoteTask.of(p.body()) : task, next, 0);
              }
              if (failures < TOLERATED_POLL_FAILURES && transientFailure(error)) {
                log.debug(
                    "Polling remote A2A task {} failed, polling again: {}",
                    task.id(),
                    error.getMessage());
                return follow(task, next, failures + 1);
              }
              return CompletableFuture.<RemoteTask>failedFuture(Failures.cause(error));
            })
        .thenCompose(next -> next);
  }

  /** Retryable and not a too-large answer (which would be as large the next time). */
  private static boolean transientFailure(Throwable error) {
    return Failures.cause(error) instanceof ProviderFailure f
        && f.retryable()
        && !(f instanceof OutputTooLarge);
  }

  private void onAbandoned() {
    abandoned.set(true);
    if (!settled && remoteId.get() != null) {
      cancelRemote();
    }
  }

  private void cancelRemote() {
    String id = remoteId.get();
    if (id == null || !cancelSent.compareAndSet(false, true)) {
      return;
    }
    A2aStream open = stream;
    if (open != null) {
      open.stop(); // its id is known: the stream has nothing more the abandoned attempt needs
    }
    sendCancel(id, 0);
  }

  /** CancelTask outside the guard; a transient failure is retried with a growing pause. */
  private void sendCancel(String id, int retries) {
    calls
        .callOutsideGuard(card.dialect().cancel, card.dialect().taskParams(json, id))
        .whenComplete(
            (ok, error) -> {
              if (error == null) {
                return;
              }
              if (retries < CANCEL_RETRIES && transientFailure(error)) {
                Patterns.after(
                    FIRST_PAUSE.multipliedBy(1L << retries),
                    system.classicSystem().scheduler(),
                    system.executionContext(),
                    () -> {
                      sendCancel(id, retries + 1);
                      return CompletableFuture.completedFuture(null);
                    });
                return;
              }
              log.info(
                  "Cancelling remote A2A task {} of task {} failed: {}",
                  id,
                  request.taskId(),
                  error.getMessage());
            });
  }
}
