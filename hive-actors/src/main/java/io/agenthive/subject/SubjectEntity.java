package io.agenthive.subject;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.Entity;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import akka.pattern.StatusReply;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.javadsl.CommandHandler;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehavior;
import io.agenthive.common.CborSerializable;
import io.agenthive.common.HiveSettings;
import io.agenthive.common.LocalOnly;
import io.agenthive.subject.SubjectEvent.SubjectErased;
import java.time.Clock;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * One subject's erasure, journaled. The key is destroyed first and the erasure journaled after, so
 * every event the read side meets after {@link SubjectErased} opens as erased; a crash between the
 * two leaves the key destroyed, and the caller's retry journals it.
 */
public final class SubjectEntity
    extends EventSourcedBehavior<SubjectEntity.Command, SubjectEvent, SubjectEntity.State> {
  public static final EntityTypeKey<Command> TYPE_KEY =
      EntityTypeKey.create(Command.class, "subject");

  public sealed interface Command extends CborSerializable {}

  /** Erase the subject; answered with when it was erased. */
  public record Erase(String by, ActorRef<StatusReply<Erased>> replyTo) implements Command {}

  /** The subject's erasure: {@code now} is false when it had been erased before. */
  public record Erased(String subject, Instant at, boolean now) implements CborSerializable {}

  private record KeyDestroyed(Instant at, Erase erase, Throwable failure)
      implements Command, LocalOnly {}

  /** {@code erasedAt}: null until the subject is erased. */
  public record State(Instant erasedAt) implements CborSerializable {}

  private final String subject;
  private final SubjectKeys keys;
  private final ActorContext<Command> context;
  private final Clock clock;
  private final Set<String> tags;

  public static void init(ActorSystem<?> system, HiveSettings settings, Clock clock) {
    ClusterSharding.get(system)
        .init(
            Entity.of(
                TYPE_KEY,
                e ->
                    Behaviors.setup(
                        ctx -> new SubjectEntity(e.getEntityId(), settings, ctx, clock))));
  }

  private SubjectEntity(
      String subject, HiveSettings settings, ActorContext<Command> context, Clock clock) {
    super(PersistenceId.of(TYPE_KEY.name(), subject), settings.journalFailureBackoff());
    this.subject = subject;
    this.keys = Subjects.keys(context.getSystem());
    this.context = context;
    this.clock = clock;
    this.tags = settings.tagsFor(persistenceId().id());
  }

  @Override
  public State emptyState() {
    return new State(null);
  }

  @Override
  public Set<String> tagsFor(SubjectEvent event) {
    return tags;
  }

  @Override
  public CommandHandler<Command, SubjectEvent, State> commandHandler() {
    return newCommandHandlerBuilder()
        .forAnyState()
        .onCommand(Erase.class, this::onErase)
        .onCommand(KeyDestroyed.class, this::onKeyDestroyed)
        .build();
  }

  private akka.persistence.typed.javadsl.Effect<SubjectEvent, State> onErase(
      State state, Erase cmd) {
    if (state.erasedAt() != null) {
      cmd.replyTo().tell(StatusReply.success(new Erased(subject, state.erasedAt(), false)));
      return Effect().none();
    }
    // the key store is a database: its call runs off this actor's thread
    Instant now = clock.instant();
    context.pipeToSelf(
        CompletableFuture.supplyAsync(
            () -> keys.erase(subject, now),
            context.getSystem().dispatchers().lookup(DispatcherSelector.blocking())),
        (at, failure) -> new KeyDestroyed(at, cmd, failure));
    return Effect().none();
  }

  private akka.persistence.typed.javadsl.Effect<SubjectEvent, State> onKeyDestroyed(
      State state, KeyDestroyed done) {
    ActorRef<StatusReply<Erased>> replyTo = done.erase().replyTo();
    if (done.failure() != null) {
      context.getLog().error("the key of subject {} was not destroyed", subject, done.failure());
      replyTo.tell(StatusReply.error("the subject's key could not be destroyed; try again"));
      return Effect().none();
    }
    if (state.erasedAt() != null) {
      replyTo.tell(StatusReply.success(new Erased(subject, state.erasedAt(), false)));
      return Effect().none();
    }
    return Effect()
        .persist(new SubjectErased(subject, done.at(), done.erase().by()))
        .thenRun(s -> replyTo.tell(StatusReply.success(new Erased(subject, s.erasedAt(), true))));
  }

  @Override
  public EventHandler<State, SubjectEvent> eventHandler() {
    return newEventHandlerBuilder()
        .forAnyState()
        .onEvent(SubjectErased.class, (s, e) -> new State(e.at()))
        .build();
  }
}
