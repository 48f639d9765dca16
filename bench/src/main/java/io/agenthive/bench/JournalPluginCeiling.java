package io.agenthive.bench;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Props;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.SnapshotSelectionCriteria;
import akka.persistence.typed.javadsl.CommandHandler;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehavior;
import akka.persistence.typed.javadsl.Recovery;
import com.typesafe.config.Config;
import io.agenthive.common.CborSerializable;
import io.agenthive.common.HiveTags;
import io.agenthive.persistence.DatabaseSettings;
import io.agenthive.persistence.SchemaBootstrap;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The core scenario's second ceiling: the journal plugin alone, configured as the hub's is. As many
 * fresh event-sourced actors as the run has tasks, 64 at a time, each recovering (one query, as a
 * new task does) and then persisting three tagged events of a task's size one after the other; as
 * tasks/s. No sharding, matching, agents, read side or HTTP: what the hub's journal could give if
 * the hub cost nothing.
 */
final class JournalPluginCeiling {
  private static final int IN_FLIGHT = 64;
  private static final int EVENTS = 3;

  private JournalPluginCeiling() {}

  record Event(String payload) implements CborSerializable {}

  record Write(int remaining, ActorRef<Boolean> replyTo) implements CborSerializable {}

  /** Persists {@code remaining} events one after the other, then answers. */
  static final class Writer extends EventSourcedBehavior<Write, Event, Integer> {
    private final ActorRef<Write> self;

    Writer(String id, ActorRef<Write> self) {
      super(PersistenceId.of("Task", id));
      this.self = self;
    }

    @Override
    public Integer emptyState() {
      return 0;
    }

    @Override
    public Set<String> tagsFor(Event event) {
      return HiveTags.ALL_ONLY;
    }

    @Override
    public Recovery recovery() {
      return Recovery.withSnapshotSelectionCriteria(SnapshotSelectionCriteria.none());
    }

    @Override
    public CommandHandler<Write, Event, Integer> commandHandler() {
      return newCommandHandlerBuilder()
          .forAnyState()
          .onCommand(
              Write.class,
              (n, w) ->
                  Effect()
                      .persist(new Event("x".repeat(300)))
                      .thenRun(
                          s -> {
                            if (w.remaining() > 1) {
                              self.tell(new Write(w.remaining() - 1, w.replyTo()));
                            } else {
                              w.replyTo().tell(true);
                            }
                          }))
          .build();
    }

    @Override
    public EventHandler<Integer, Event> eventHandler() {
      return newEventHandlerBuilder().forAnyState().onAnyEvent((n, e) -> n + 1);
    }
  }

  /** Tasks/s the journal alone could carry: {@code tasks} fresh writers of three events. */
  static double tasksPerSecond(Config config, int tasks) throws Exception {
    DatabaseSettings db = DatabaseSettings.from(config);
    SchemaBootstrap.ensure(db);
    ActorSystem<Void> system =
        ActorSystem.create(
            Behaviors.empty(), "journal-ceiling", db.journalConfig().withFallback(config));
    try {
      Semaphore inFlight = new Semaphore(IN_FLIGHT);
      AtomicReference<Throwable> failure = new AtomicReference<>();
      long start = System.nanoTime();
      for (int i = 0; i < tasks && failure.get() == null; i++) {
        inFlight.acquire();
        ActorRef<Write> writer =
            system.systemActorOf(
                Behaviors.setup(ctx -> new Writer(UUID.randomUUID().toString(), ctx.getSelf())),
                "w" + i,
                Props.empty());
        AskPattern.<Write, Boolean>ask(
                writer, r -> new Write(EVENTS, r), Duration.ofSeconds(60), system.scheduler())
            .whenComplete(
                (ok, error) -> {
                  if (error != null) {
                    failure.compareAndSet(null, error);
                  }
                  system.classicSystem().stop(akka.actor.typed.javadsl.Adapter.toClassic(writer));
                  inFlight.release();
                });
      }
      inFlight.acquire(IN_FLIGHT);
      if (failure.get() != null) {
        throw new IllegalStateException("the journal ceiling failed", failure.get());
      }
      return tasks / ((System.nanoTime() - start) / 1e9);
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(1, TimeUnit.MINUTES);
    }
  }
}
