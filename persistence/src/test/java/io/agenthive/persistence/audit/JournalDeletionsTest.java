package io.agenthive.persistence.audit;

import static org.junit.jupiter.api.Assertions.*;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.javadsl.CommandHandler;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehavior;
import akka.persistence.typed.javadsl.RetentionCriteria;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.agenthive.persistence.DatabaseSettings;
import io.agenthive.persistence.SchemaBootstrap;
import io.agenthive.persistence.TestDatabase;
import io.agenthive.testing.Eventually;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Akka deletes events of its own (here an entity that snapshots and deletes its old events, as the
 * sharding's remember-entities store does): the chains and a checkpoint signed before the deletion
 * still verify, because the hashes of the deleted rows were kept as tombstones first. Without them
 * every such entity would be reported as tampered with.
 */
class JournalDeletionsTest {
  @TempDir Path dataDir;

  /** Appends its command to a text; snapshots every 3 events and deletes the events before. */
  static Behavior<Object> appender(String id) {
    return new EventSourcedBehavior<Object, String, String>(PersistenceId.ofUniqueId(id)) {
      @Override
      public String emptyState() {
        return "";
      }

      @Override
      public CommandHandler<Object, String, String> commandHandler() {
        return (state, cmd) -> {
          @SuppressWarnings("unchecked")
          ActorRef<String> replyTo = (ActorRef<String>) cmd;
          return Effect().persist("e").thenReply(replyTo, s -> s);
        };
      }

      @Override
      public EventHandler<String, String> eventHandler() {
        return (state, event) -> state + event;
      }

      @Override
      public RetentionCriteria retentionCriteria() {
        return RetentionCriteria.snapshotEvery(3, 1).withDeleteEventsOnSnapshot();
      }
    };
  }

  @Test
  void eventsAkkaDeletedLeaveTheJournalVerifiable() throws Exception {
    // the hub reads snapshots as optional (a damaged one is skipped), which typed retention
    // refuses to combine with deletes; Akka's own deleting stores do not ask
    Config config =
        ConfigFactory.parseString("jdbc-snapshot-store.snapshot-is-optional = false")
            .withFallback(TestDatabase.config(dataDir));
    DatabaseSettings db = DatabaseSettings.from(config);
    SchemaBootstrap.ensure(db);
    ActorTestKit kit = ActorTestKit.create("deletions", db.journalConfig().withFallback(config));
    JournalSigner signer = new TestSigner();
    try {
      // named as the sharding's own stores are, whose tombstones Akka's deletes keep unsigned
      ActorRef<Object> entity = kit.spawn(appender("/sharding/AppenderShard/1"));
      TestProbe<String> probe = kit.createTestProbe();
      for (int i = 0; i < 4; i++) {
        entity.tell(probe.getRef());
        probe.receiveMessage();
      }
      try (Connection c = db.connect()) {
        assertNotNull(Checkpoints.writeNext(c, signer, 0, System.currentTimeMillis()));
      }
      for (int i = 0; i < 8; i++) {
        entity.tell(probe.getRef());
        assertEquals("e".repeat(4 + i + 1), probe.receiveMessage());
      }
      Eventually.eventually(
          () -> count(db, "SELECT COUNT(*) FROM \"event_journal\"") < 12 ? Boolean.TRUE : null,
          "Akka deleted events after its snapshots",
          Duration.ofSeconds(20));
      assertTrue(count(db, "SELECT COUNT(*) FROM hive_event_tombstone") > 0, "tombstones kept");
      try (Connection c = db.connect()) {
        JournalVerifier.Report report = new JournalVerifier(signer).verify(c, n -> {});
        assertTrue(report.intact(), "intact: " + report.breaks());
        assertEquals(1, report.checkpoints());
      }
    } finally {
      kit.shutdownTestKit();
    }
  }

  /**
   * A journal from before the hub hashed events, with Akka's deletes in it (gaps, a row kept marked
   * deleted, no tombstones), continued by a hub that hashes: the old rows are counted as unchained,
   * nothing is reported, and the new events verify.
   */
  @Test
  void aJournalFromBeforeTheChainVerifiesWithItsOldRowsUnchained() throws Exception {
    Config config =
        ConfigFactory.parseString("jdbc-snapshot-store.snapshot-is-optional = false")
            .withFallback(TestDatabase.config(dataDir));
    DatabaseSettings db = DatabaseSettings.from(config);
    SchemaBootstrap.ensure(db);
    JournalSigner signer = new TestSigner();
    ActorTestKit old = ActorTestKit.create("before", db.journalConfig().withFallback(config));
    try {
      ActorRef<Object> entity = old.spawn(appender("appender-old"));
      TestProbe<String> probe = old.createTestProbe();
      for (int i = 0; i < 8; i++) {
        entity.tell(probe.getRef());
        probe.receiveMessage();
      }
      Eventually.eventually(
          () ->
              count(db, "SELECT COUNT(*) FROM \"event_journal\" WHERE \"deleted\"") > 0
                  ? Boolean.TRUE
                  : null,
          "Akka marked and deleted events",
          Duration.ofSeconds(20));
    } finally {
      old.shutdownTestKit();
    }
    // what an earlier version left: no hashes, no tombstones, the chain beginning after it all
    try (Connection c = db.connect();
        Statement st = c.createStatement()) {
      st.executeUpdate("UPDATE \"event_journal\" SET \"hive_hash\" = NULL");
      st.executeUpdate("DELETE FROM hive_event_tombstone");
      st.executeUpdate(
          "UPDATE hive_chain_origin SET before_ordering = (SELECT MAX(\"ordering\") FROM"
              + " \"event_journal\")");
    }
    ActorTestKit hub = ActorTestKit.create("after", db.journalConfig().withFallback(config));
    try {
      ActorRef<Object> entity = hub.spawn(appender("appender-old"));
      TestProbe<String> probe = hub.createTestProbe();
      for (int i = 0; i < 2; i++) {
        entity.tell(probe.getRef());
        probe.receiveMessage();
      }
      try (Connection c = db.connect()) {
        JournalVerifier.Report report = new JournalVerifier(signer).verify(c, n -> {});
        assertTrue(report.intact(), "intact: " + report.breaks());
        assertTrue(report.unchainedEvents() > 0, "old rows counted: " + report);
        assertTrue(report.events() > report.unchainedEvents(), "new rows chained: " + report);
      }
    } finally {
      hub.shutdownTestKit();
    }
  }

  private static long count(DatabaseSettings db, String sql) {
    try (Connection c = db.connect();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** A P-256 key of the test's own, as the hub's token key signs checkpoints. */
  static final class TestSigner implements JournalSigner {
    private final KeyPair keys;

    TestSigner() throws Exception {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(256);
      keys = g.generateKeyPair();
    }

    @Override
    public String keyId() {
      return "test-key";
    }

    @Override
    public byte[] sign(byte[] message) {
      try {
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(keys.getPrivate());
        s.update(message);
        return s.sign();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public boolean verifies(byte[] message, byte[] signature) {
      try {
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initVerify(keys.getPublic());
        s.update(message);
        return s.verify(signature);
      } catch (Exception e) {
        return false;
      }
    }
  }
}
