package io.agenthive.persistence;

import static org.junit.jupiter.api.Assertions.*;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.javadsl.CommandHandler;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehavior;
import com.typesafe.config.Config;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal's write queue as the hub configures it (jdbc-journal.bufferSize): thousands of
 * entities persisting at the same instant all get their events written. With the plugin's default
 * queue of 1,000 writes behind the batches being written, about 1,800 got through and the rest
 * failed ("the queue buffer was full"), each stopping its entity.
 */
class JournalWriteQueueTest {
  private static final int ENTITIES = 5_000;

  @TempDir Path dataDir;

  /** "ready" answers once recovered, without writing; "write" persists one event, then answers. */
  record Ask(String what, ActorRef<String> replyTo)
      implements akka.actor.NoSerializationVerificationNeeded {}

  static Behavior<Ask> entity(String id) {
    return new EventSourcedBehavior<Ask, String, Integer>(PersistenceId.ofUniqueId(id)) {
      @Override
      public Integer emptyState() {
        return 0;
      }

      @Override
      public CommandHandler<Ask, String, Integer> commandHandler() {
        return (state, ask) ->
            ask.what().equals("ready")
                ? Effect().reply(ask.replyTo(), "ready")
                : Effect().persist("written").thenReply(ask.replyTo(), s -> "written " + s);
      }

      @Override
      public EventHandler<Integer, String> eventHandler() {
        return (state, event) -> state + 1;
      }
    };
  }

  @Test
  void thousandsOfEntitiesPersistingAtOnceAreAllWritten() throws Exception {
    Config config = TestDatabase.config(dataDir);
    DatabaseSettings db = DatabaseSettings.from(config);
    SchemaBootstrap.ensure(db);
    ActorTestKit kit = ActorTestKit.create("write-queue", db.journalConfig().withFallback(config));
    try {
      List<ActorRef<Ask>> entities = new ArrayList<>();
      TestProbe<String> ready = kit.createTestProbe();
      for (int i = 0; i < ENTITIES; i++) {
        ActorRef<Ask> e = kit.spawn(entity("queue-test|" + i));
        e.tell(new Ask("ready", ready.getRef()));
        entities.add(e);
      }
      // every entity recovered first, so that their writes meet the queue together
      ready.receiveSeveralMessages(ENTITIES, Duration.ofSeconds(60));
      TestProbe<String> written = kit.createTestProbe();
      entities.forEach(e -> e.tell(new Ask("write", written.getRef())));
      List<String> answers = written.receiveSeveralMessages(ENTITIES, Duration.ofSeconds(60));
      assertTrue(answers.stream().allMatch("written 1"::equals), "each wrote its one event");
    } finally {
      kit.shutdownTestKit();
    }
  }
}
