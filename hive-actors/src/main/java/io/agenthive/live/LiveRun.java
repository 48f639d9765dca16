package io.agenthive.live;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.PostStop;
import akka.actor.typed.javadsl.Behaviors;
import io.agenthive.common.CborSerializable;
import io.agenthive.common.LocalOnly;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The live output of one attempt. It is not a child of the attempt's run actor: stopping a parent
 * stops its children with a system message, handled before the text still queued for them, so the
 * last pieces were lost and {@code Over} went out without them. The run actor instead tells it
 * {@link Finish} when it stops — an ordinary message, queued after every piece the skill told
 * before its result came in — and it stops itself on that. It keeps the text so far ({@link
 * PartialText}, capped by {@code hive.streaming.max-partial-bytes}), registers with this node's
 * {@link LiveRuns} so followers on any node can find it by task id, and sends each follower {@code
 * SoFar} then every {@code Delta} — one actor, one sender, so a follower sees no gap and nothing
 * twice — and {@code Over} when it stops. Nothing here is journaled.
 */
public final class LiveRun {
  private LiveRun() {}

  public sealed interface Command extends CborSerializable
      permits Append, Follow, Finish, Sync, FollowerGone {}

  /** More text from the skill (or the remote worker). */
  public record Append(String text) implements Command {}

  /** {@code follower} wants the text so far and then every new piece. */
  public record Follow(ActorRef<LiveUpdate> follower) implements Command {}

  /**
   * The attempt is over: tell followers {@code Over} after everything queued before this, then
   * stop.
   */
  public record Finish() implements Command {}

  /**
   * Answered with {@code Done} once every message its sender told before it has been handled: a
   * remote worker's link asks this before it hands over the result, so the result cannot overtake
   * the worker's last {@code partial} frames (they travel to different actors, maybe on lanes of
   * their own).
   */
  public record Sync(ActorRef<akka.Done> replyTo) implements Command {}

  private record FollowerGone(ActorRef<LiveUpdate> follower) implements Command, LocalOnly {}

  /** Room in a remoting frame for what travels with the text (ids, the run's address). */
  private static final long FRAME_MARGIN = 64 * 1024;

  /**
   * {@code hive.streaming.max-partial-bytes}, refused when a {@code SoFar} that large could not
   * cross to a follower on another node: a message over Artery's maximum frame size is dropped, and
   * the follower would wait with no text at all.
   */
  public static long maxPartialBytes(com.typesafe.config.Config config) {
    long max = config.getBytes("hive.streaming.max-partial-bytes");
    long frame = config.getBytes("akka.remote.artery.advanced.maximum-frame-size");
    if (max <= 0 || max > frame - FRAME_MARGIN) {
      throw new IllegalArgumentException(
          "hive.streaming.max-partial-bytes = "
              + max
              + " must be above 0 and at most akka.remote.artery.advanced.maximum-frame-size ("
              + frame
              + ") less "
              + FRAME_MARGIN
              + " bytes, so that the text so far fits in one message to another node");
    }
    return max;
  }

  public static Behavior<Command> create(String taskId, int attempt, long maxBytes) {
    return Behaviors.setup(
        ctx -> {
          PartialText text = new PartialText(maxBytes);
          Set<ActorRef<LiveUpdate>> followers = new LinkedHashSet<>();
          LiveRuns.get(ctx.getSystem()).tell(new LiveRuns.Started(taskId, ctx.getSelf()));
          return Behaviors.receive(Command.class)
              .onMessage(
                  Append.class,
                  a -> {
                    boolean wasTruncated = text.truncated();
                    String kept = text.append(a.text());
                    if (!kept.isEmpty()) {
                      LiveUpdate delta = new LiveUpdate.Delta(taskId, attempt, kept);
                      followers.forEach(f -> f.tell(delta));
                    }
                    if (!wasTruncated && text.truncated()) {
                      // once: followers learn the text stops here, not that the model went quiet
                      LiveUpdate cut = new LiveUpdate.Truncated(taskId, attempt);
                      followers.forEach(f -> f.tell(cut));
                    }
                    return Behaviors.same();
                  })
              .onMessage(
                  Follow.class,
                  f -> {
                    if (followers.add(f.follower())) {
                      ctx.watchWith(f.follower(), new FollowerGone(f.follower()));
                    }
                    // answered every time: a follower whose first answer was lost (or that asked
                    // before it knew of this run) would otherwise wait with no text; it ignores
                    // a second SoFar from a run it already follows
                    f.follower()
                        .tell(
                            new LiveUpdate.SoFar(
                                taskId, attempt, text.text(), text.truncated(), ctx.getSelf()));
                    return Behaviors.same();
                  })
              .onMessage(Finish.class, f -> Behaviors.stopped()) // Over goes out in PostStop
              .onMessage(
                  Sync.class,
                  y -> {
                    y.replyTo().tell(akka.Done.getInstance());
                    return Behaviors.same();
                  })
              .onMessage(
                  FollowerGone.class,
                  g -> {
                    followers.remove(g.follower());
                    return Behaviors.same();
                  })
              .onSignal(
                  PostStop.class,
                  s -> {
                    LiveUpdate over = new LiveUpdate.Over(taskId, attempt);
                    followers.forEach(f -> f.tell(over));
                    return Behaviors.same();
                  })
              .build();
        });
  }
}
