package io.agenthive.agent;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.PostStop;
import akka.actor.typed.Props;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.stream.javadsl.Source;
import akka.util.ByteString;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agenthive.blob.BlobStore;
import io.agenthive.blob.BlobStores;
import io.agenthive.common.HiveLimits;
import io.agenthive.common.LocalOnly;
import io.agenthive.dataset.ChunkRuns;
import io.agenthive.live.LiveOutputLimit;
import io.agenthive.live.LiveRun;
import io.agenthive.live.LiveText;
import io.agenthive.skill.Skill;
import io.agenthive.skill.SkillRequest;
import io.agenthive.skill.SkillResult;
import io.agenthive.task.ChunkRef;
import io.agenthive.task.StoredOutput;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One attempt of one task: calls the skill, checks its result against {@code hive.limits} ({@link
 * RunOutputs}: too large fails the attempt, large goes to the blob store first), and reports it to
 * the agent, which then stops this actor. A skill that throws fails this actor (default
 * supervision: stop), and the agent, watching it, fails the attempt; the agent itself is untouched.
 * The timeout is the agent's. When the agent stops this actor before the skill's result arrived
 * (cancelled, timed out, retired), the skill is told through {@code abandoned}. The text the skill
 * produces on the way goes to a {@link LiveRun}, told {@code Finish} when this actor stops.
 */
final class TaskRun {
  private TaskRun() {}

  sealed interface Command permits Done, Stored {}

  private record Done(SkillResult result, Throwable error) implements Command, LocalOnly {}

  private record Stored(SkillResult result, BlobStore.BlobInfo blob, Throwable error)
      implements Command, LocalOnly {}

  /** {@code chunk}: the run is a dataset chunk's (its bytes are loaded first), or null. */
  static Behavior<Command> create(
      Skill skill, SkillRequest request, ChunkRef chunk, ActorRef<AgentProtocol.Command> agent) {
    return Behaviors.setup(
        ctx -> {
          long started = System.nanoTime();
          // completed when this actor stops before the skill's stage did: the attempt was given up
          CompletableFuture<Void> abandoned = new CompletableFuture<>();
          AtomicBoolean settled = new AtomicBoolean();
          LiveText live = chunk == null ? live(ctx, request) : LiveText.NONE;
          CompletionStage<SkillResult> running =
              chunk == null
                  ? skill.execute(request, abandoned, live)
                  : ChunkRuns.execute(skill, request, chunk, abandoned, ctx.getSystem());
          ctx.pipeToSelf(running.whenComplete((r, e) -> settled.set(true)), Done::new);
          HiveLimits limits = HiveLimits.get(ctx.getSystem());
          ObjectMapper writer = HiveLimits.outsideJson(ctx.getSystem());
          Reporter report = new Reporter(request, agent, started);
          return Behaviors.receive(Command.class)
              .onMessage(Done.class, done -> onDone(ctx, done, limits, writer, report))
              .onMessage(Stored.class, stored -> onStored(stored, report))
              .onSignal(
                  PostStop.class,
                  stopped -> {
                    if (!settled.get()) {
                      abandoned.complete(null);
                    }
                    // after the result (or the abandonment): every piece the skill told before
                    // its stage completed is already queued ahead of this in the run's mailbox
                    live.finish();
                    return Behaviors.same();
                  })
              .build();
        });
  }

  /**
   * The attempt's live output: not a child (stopping this actor would stop it ahead of the text
   * still queued for it), but a system actor that stops on the {@code Finish} sent from PostStop.
   */
  private static LiveText live(ActorContext<Command> ctx, SkillRequest request) {
    long max = LiveOutputLimit.of(ctx.getSystem());
    return new LiveText(
        ctx.getSystem()
            .systemActorOf(
                LiveRun.create(request.taskId(), request.attempt(), max),
                "live-output-" + UUID.randomUUID(),
                Props.empty()));
  }

  private static Behavior<Command> onDone(
      ActorContext<Command> ctx,
      Done done,
      HiveLimits limits,
      ObjectMapper writer,
      Reporter report) {
    if (done.error() != null) {
      return report.finished(SkillResult.failed("skill failed: " + describe(done.error())), null);
    }
    SkillResult result =
        done.result() != null ? done.result() : SkillResult.failed("skill gave no result");
    RunOutputs.Checked checked = RunOutputs.check(result, limits, writer);
    if (checked instanceof RunOutputs.ToStore big) {
      String id = StoredOutput.blobId(report.request.taskId(), report.request.attempt());
      ctx.pipeToSelf(
          Source.single(ByteString.fromArrayUnsafe(big.json()))
              .runWith(
                  BlobStores.get(ctx.getSystem())
                      .write(id, BlobStore.Kind.OUTPUT, report.request.taskId(), big.json().length),
                  ctx.getSystem()),
          (blob, error) -> new Stored(big.result(), blob, error));
      return Behaviors.same();
    }
    return report.finished(((RunOutputs.Inline) checked).result(), null);
  }

  private static Behavior<Command> onStored(Stored stored, Reporter report) {
    if (stored.error() != null) {
      return report.finished(
          SkillResult.failed("the output could not be stored: " + describe(stored.error())), null);
    }
    BlobStore.BlobInfo blob = stored.blob();
    return report.finished(
        stored.result(), new StoredOutput(blob.id(), blob.size(), blob.sha256()));
  }

  /** Tells the agent how the run ended, with the time since it began. */
  private record Reporter(
      SkillRequest request, ActorRef<AgentProtocol.Command> agent, long startedNanos) {
    Behavior<Command> finished(SkillResult result, StoredOutput stored) {
      long ms = (System.nanoTime() - startedNanos) / 1_000_000;
      agent.tell(
          new AgentProtocol.RunFinished(request.taskId(), request.attempt(), result, ms, stored));
      return Behaviors.same();
    }
  }

  static String describe(Throwable error) {
    Throwable cause =
        error.getCause() != null
                && error.getMessage() != null
                && error.getMessage().startsWith(error.getCause().getClass().getName())
            ? error.getCause()
            : error;
    return cause.getClass().getSimpleName() + ": " + cause.getMessage();
  }
}
