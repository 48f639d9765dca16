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
 * The live output of one attempt: a child of the attempt's run actor, so it lives exactly as long
 * as the attempt. It keeps the text so far ({@link PartialText}, capped by {@code
 * hive.streaming.max-partial-bytes}), registers with this node's {@link LiveRuns} so followers on
 * any node can find it by task id, and sends each follower {@code SoFar} then every {@code Delta} —
 * one actor, one sender, so a follower sees no gap and nothing twice — and {@code Over} when it
 * stops. Nothing here is journaled.
 */
public final class LiveRun {
  private LiveRun() {}

  public sealed interface Command extends CborSerializable permits Append, Follow, FollowerGone {}

  /** More text from the skill (or the remote worker). */
  public record Append(String text) implements Command {}

  /** {@code follower} wants the text so far and then every new piece. */
  public record Follow(ActorRef<LiveUpdate> follower) implements Command {}

  private record FollowerGone(ActorRef<LiveUpdate> follower) implements Command, LocalOnly {}

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
                    String kept = text.append(a.text());
                    if (!kept.isEmpty()) {
                      LiveUpdate delta = new LiveUpdate.Delta(taskId, attempt, kept);
                      followers.forEach(f -> f.tell(delta));
                    }
                    return Behaviors.same();
                  })
              .onMessage(
                  Follow.class,
                  f -> {
                    if (followers.add(f.follower())) {
                      ctx.watchWith(f.follower(), new FollowerGone(f.follower()));
                      f.follower()
                          .tell(
                              new LiveUpdate.SoFar(
                                  taskId, attempt, text.text(), text.truncated(), ctx.getSelf()));
                    }
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
