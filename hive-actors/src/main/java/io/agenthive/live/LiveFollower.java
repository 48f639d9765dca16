package io.agenthive.live;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.actor.typed.receptionist.Receptionist;
import io.agenthive.common.LocalOnly;
import io.agenthive.task.Task;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Follows one task's live output for one client, on the client's node, across its attempts: it
 * looks the task up every {@code poll} (and at once when an attempt ends); while the task runs and
 * no attempt is followed yet it asks every node's {@link LiveRuns} to put it in touch with the
 * attempt; when the task has ended it hands over the task and stops. The attempt's node may be
 * lost: its run is watched, and its end counts as the attempt being over.
 */
public final class LiveFollower {
  private LiveFollower() {}

  /** What the client is sent. */
  public sealed interface Event {}

  /** An attempt is followed: the text it produced so far (once per attempt). */
  public record SoFar(int attempt, String text, boolean truncated) implements Event {}

  public record Delta(int attempt, String text) implements Event {}

  /** The attempt's live text hit {@code hive.streaming.max-partial-bytes}: no more pieces. */
  public record Truncated(int attempt) implements Event {}

  /** The task has ended (or is gone: {@code task} empty). */
  public record End(Optional<Task> task) implements Event {}

  /** Where events go: {@code offer} false means the client cannot take more; it is then ended. */
  public interface Listener {
    boolean offer(Event event);

    void done();
  }

  public sealed interface Command {}

  /** The client went away. */
  public record Stop() implements Command, LocalOnly {}

  private record Update(LiveUpdate update) implements Command, LocalOnly {}

  private record Registries(Set<ActorRef<LiveRuns.Command>> all) implements Command, LocalOnly {}

  private record Looked(Optional<Task> task, Throwable error) implements Command, LocalOnly {}

  private record Tick() implements Command, LocalOnly {}

  private record RunGone(ActorRef<LiveRun.Command> run) implements Command, LocalOnly {}

  /** The task ended while its attempt was still followed and the attempt's end never came. */
  private record EndNow() implements Command, LocalOnly {}

  /**
   * How long the end of a task waits for the followed attempt's {@code Over}: the task entity can
   * record the result before the attempt's last pieces reach this follower.
   */
  static final Duration LAST_PIECES_WAIT = Duration.ofSeconds(2);

  public static Behavior<Command> create(
      String taskId, Supplier<CompletionStage<Optional<Task>>> lookUp, Duration poll, Listener to) {
    return Behaviors.setup(
        ctx ->
            Behaviors.withTimers(
                timers -> {
                  timers.startTimerWithFixedDelay(new Tick(), poll);
                  ActorRef<Receptionist.Listing> listings =
                      ctx.messageAdapter(
                          Receptionist.Listing.class,
                          l -> new Registries(Set.copyOf(l.getServiceInstances(LiveRuns.KEY))));
                  ctx.getSystem()
                      .receptionist()
                      .tell(Receptionist.subscribe(LiveRuns.KEY, listings));
                  State s = new State(taskId, lookUp, to, ctx, timers);
                  s.lookUp();
                  return s.behavior();
                }));
  }

  private static final class State {
    private final String taskId;
    private final Supplier<CompletionStage<Optional<Task>>> lookUp;
    private final Listener to;
    private final ActorContext<Command> ctx;
    private final ActorRef<LiveUpdate> self;
    private final Set<ActorRef<LiveRuns.Command>> registries = new HashSet<>();
    private final TimerScheduler<Command> timers;
    private ActorRef<LiveRun.Command> run;
    private int attempt;
    // the task as it ended, held while the followed attempt's last pieces are still on the way
    private Optional<Task> ending;

    State(
        String taskId,
        Supplier<CompletionStage<Optional<Task>>> lookUp,
        Listener to,
        ActorContext<Command> ctx,
        TimerScheduler<Command> timers) {
      this.timers = timers;
      this.taskId = taskId;
      this.lookUp = lookUp;
      this.to = to;
      this.ctx = ctx;
      this.self = ctx.messageAdapter(LiveUpdate.class, Update::new);
      // this node's own registry: known at once, before the receptionist's listing arrives
      registries.add(LiveRuns.get(ctx.getSystem()));
    }

    void lookUp() {
      ctx.pipeToSelf(lookUp.get(), Looked::new);
    }

    Behavior<Command> behavior() {
      return Behaviors.receive(Command.class)
          .onMessage(Stop.class, m -> Behaviors.stopped())
          .onMessage(Tick.class, m -> tick())
          .onMessage(Registries.class, this::onRegistries)
          .onMessage(Looked.class, this::onLooked)
          .onMessage(Update.class, m -> onUpdate(m.update()))
          .onMessage(RunGone.class, g -> attemptOver(g.run()))
          .onMessage(EndNow.class, m -> end(ending))
          .build();
    }

    private Behavior<Command> tick() {
      lookUp();
      return Behaviors.same();
    }

    /**
     * The latest listing replaces the set (plus this node's own registry, known before any
     * listing): a departed node's registry is forgotten, not asked on every poll for good.
     */
    private Behavior<Command> onRegistries(Registries r) {
      registries.clear();
      registries.addAll(r.all());
      registries.add(LiveRuns.get(ctx.getSystem()));
      return Behaviors.same();
    }

    private Behavior<Command> onLooked(Looked l) {
      if (l.error() != null || ending != null) {
        return Behaviors.same(); // a slow or moving task entity: the next tick asks again
      }
      if (l.task().isEmpty() || l.task().get().status().isTerminal()) {
        if (run == null) {
          return end(l.task());
        }
        // the attempt's Over (after its last pieces) is still to come: wait for it, bounded
        ending = l.task();
        timers.cancel(new Tick());
        timers.startSingleTimer(new EndNow(), LAST_PIECES_WAIT);
        return Behaviors.same();
      }
      if (run == null) {
        registries.forEach(r -> r.tell(new LiveRuns.Follow(taskId, self)));
      }
      return Behaviors.same();
    }

    private Behavior<Command> onUpdate(LiveUpdate u) {
      if (u instanceof LiveUpdate.SoFar s) {
        if (s.run().equals(run) || (run != null && s.attempt() < attempt)) {
          // asked twice (every Follow is answered), or an older attempt answering late
          return Behaviors.same();
        }
        if (run != null) {
          ctx.unwatch(run);
        }
        run = s.run();
        attempt = s.attempt();
        ctx.watchWith(run, new RunGone(run));
        return offer(new SoFar(s.attempt(), s.text(), s.truncated()));
      }
      if (u instanceof LiveUpdate.Delta d) {
        return d.attempt() == attempt && run != null
            ? offer(new Delta(d.attempt(), d.text()))
            : Behaviors.same();
      }
      if (u instanceof LiveUpdate.Truncated t) {
        return t.attempt() == attempt && run != null
            ? offer(new Truncated(t.attempt()))
            : Behaviors.same();
      }
      LiveUpdate.Over o = (LiveUpdate.Over) u;
      return o.attempt() == attempt ? attemptOver(run) : Behaviors.same();
    }

    private Behavior<Command> attemptOver(ActorRef<LiveRun.Command> which) {
      if (which != null && which.equals(run)) {
        ctx.unwatch(run);
        run = null;
        if (ending != null) {
          return end(ending);
        }
        lookUp();
      }
      return Behaviors.same();
    }

    private Behavior<Command> end(Optional<Task> task) {
      to.offer(new End(task));
      to.done();
      return Behaviors.stopped();
    }

    private Behavior<Command> offer(Event e) {
      if (to.offer(e)) {
        return Behaviors.same();
      }
      to.done();
      return Behaviors.stopped();
    }
  }
}
