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
import com.typesafe.config.ConfigValueFactory;
import io.agenthive.common.CborSerializable;
import io.agenthive.common.HiveTags;
import io.agenthive.persistence.DatabaseSettings;
import io.agenthive.persistence.SchemaBootstrap;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The core scenario's second ceiling: the journal plugin alone, configured as the hub's is, writing
 * the three events of a task (300 bytes each, tagged), as tasks/s. No sharding, matching, agents,
 * read side or HTTP: what the journal could give if the rest of the hub cost nothing. It is
 * measured in three shapes ({@link Shape}), to tell what a task's journal writes cost in the hub's
 * design (one event-sourced entity per task) from what they would cost written in batches.
 */
final class JournalPluginCeiling {
  private static final int EVENTS = 3;

  /** How the events of the run's tasks reach the journal. */
  enum Shape {
    /**
     * As the hub writes them: a fresh entity per task, recovering (as a new task does) and then
     * persisting its three events one after the other; 64 tasks at a time.
     */
    AS_THE_HUB(64, false, false),
    /**
     * The most that design could get: the same fresh entities, 256 at a time, and no recovery query
     * at all (as if the journal knew every id was new; {@link FreshIdJournalDao}).
     */
    FRESH_IDS_SKIPPED(256, true, false),
    /**
     * Not one entity per task: 8 long-lived entities, each write carrying the three events of 100
     * tasks (a submission ledger's shape); 8 writes at a time.
     */
    LEDGER(8, false, true);

    static final int TASKS_PER_LEDGER_WRITE = 100;

    final int inFlight;
    final boolean skipRecovery;
    final boolean ledger;

    Shape(int inFlight, boolean skipRecovery, boolean ledger) {
      this.inFlight = inFlight;
      this.skipRecovery = skipRecovery;
      this.ledger = ledger;
    }
  }

  private JournalPluginCeiling() {}

  record Event(String payload) implements CborSerializable {}

  /** Persist {@code events} events in one write, {@code writes} times, then answer. */
  record Write(int events, int writes, ActorRef<Boolean> replyTo) implements CborSerializable {}

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
                      .persist(Collections.nCopies(w.events(), new Event("x".repeat(300))))
                      .thenRun(
                          s -> {
                            if (w.writes() > 1) {
                              self.tell(new Write(w.events(), w.writes() - 1, w.replyTo()));
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

  /** Tasks/s the journal alone carries as the hub writes: {@code tasks} fresh writers. */
  static double tasksPerSecond(Config config, int tasks) throws Exception {
    return tasksPerSecond(config, tasks, Shape.AS_THE_HUB);
  }

  /** Tasks/s the journal alone carries for {@code tasks} tasks' events written in {@code shape}. */
  static double tasksPerSecond(Config config, int tasks, Shape shape) throws Exception {
    Config journal =
        shape.skipRecovery
            ? config.withValue(
                "jdbc-journal.dao",
                ConfigValueFactory.fromAnyRef(FreshIdJournalDao.class.getName()))
            : config;
    DatabaseSettings db = DatabaseSettings.from(journal);
    SchemaBootstrap.ensure(db);
    ActorSystem<Void> system =
        ActorSystem.create(
            Behaviors.empty(), "journal-ceiling", db.journalConfig().withFallback(journal));
    try {
      // as many writes at once as the shape says; for a ledger, one per ledger entity
      Semaphore inFlight = new Semaphore(shape.inFlight);
      AtomicReference<Throwable> failure = new AtomicReference<>();
      List<ActorRef<Write>> ledgers = new ArrayList<>();
      for (int i = 0; shape.ledger && i < shape.inFlight; i++) {
        ledgers.add(writer(system, "ledger" + i));
      }
      int perWrite = shape.ledger ? Shape.TASKS_PER_LEDGER_WRITE : 1;
      long start = System.nanoTime();
      for (int i = 0; i * perWrite < tasks && failure.get() == null; i++) {
        inFlight.acquire();
        ActorRef<Write> writer =
            shape.ledger ? ledgers.get(i % ledgers.size()) : writer(system, "w" + i);
        int count = Math.min(perWrite, tasks - i * perWrite);
        AskPattern.<Write, Boolean>ask(
                writer,
                r -> shape.ledger ? new Write(EVENTS * count, 1, r) : new Write(1, EVENTS, r),
                Duration.ofSeconds(60),
                system.scheduler())
            .whenComplete(
                (ok, error) -> {
                  if (error != null) {
                    failure.compareAndSet(null, error);
                  }
                  if (!shape.ledger) {
                    system.classicSystem().stop(akka.actor.typed.javadsl.Adapter.toClassic(writer));
                  }
                  inFlight.release();
                });
      }
      inFlight.acquire(shape.inFlight);
      if (failure.get() != null) {
        throw new IllegalStateException("the journal ceiling failed", failure.get());
      }
      return tasks / ((System.nanoTime() - start) / 1e9);
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(1, TimeUnit.MINUTES);
    }
  }

  private static ActorRef<Write> writer(ActorSystem<Void> system, String name) {
    return system.systemActorOf(
        Behaviors.setup(ctx -> new Writer(UUID.randomUUID().toString(), ctx.getSelf())),
        name,
        Props.empty());
  }
}
