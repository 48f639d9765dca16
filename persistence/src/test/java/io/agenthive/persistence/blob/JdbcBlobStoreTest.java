package io.agenthive.persistence.blob;

import static io.agenthive.hive.HiveTestKit.await;
import static org.junit.jupiter.api.Assertions.*;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import akka.util.ByteString;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.agenthive.blob.BlobStore;
import io.agenthive.blob.BlobStore.Kind;
import io.agenthive.blob.BlobStores;
import io.agenthive.common.Failures;
import io.agenthive.persistence.DatabaseSettings;
import io.agenthive.persistence.SchemaBootstrap;
import io.agenthive.persistence.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The database blob store on this run's database (H2, or PostgreSQL with -Ppostgres), with small
 * parts (4 KiB) so that every range crosses part boundaries, and a small total (2 MiB).
 */
class JdbcBlobStoreTest {
  static final int PART = 4096;
  static final long TOTAL = 2 * 1024 * 1024;
  static ActorTestKit kit;
  static BlobStore store;
  static DatabaseSettings db;

  @BeforeAll
  static void start() throws Exception {
    Path dir = Files.createTempDirectory("blob-store-test");
    Config config =
        ConfigFactory.parseString(
                "hive.blobs { part-size = 4KiB, total-recheck = 16KiB, sweep-interval = 1h }\n"
                    + "hive.datasets { max-total-bytes = "
                    + TOTAL
                    + ", retention = 1h }")
            .withFallback(TestDatabase.config(dir));
    db = DatabaseSettings.from(config);
    SchemaBootstrap.ensure(db);
    kit = ActorTestKit.create("JdbcBlobStoreTest", db.journalConfig().withFallback(config));
    store = BlobStores.get(kit.system());
  }

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  static byte[] random(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  /** Streams {@code bytes} into blob {@code id} in pieces of {@code piece} bytes. */
  static CompletionStage<BlobStore.BlobInfo> write(String id, byte[] bytes, int piece, long max) {
    List<ByteString> pieces = new ArrayList<>();
    for (int at = 0; at < bytes.length; at += piece) {
      pieces.add(ByteString.fromArray(bytes, at, Math.min(piece, bytes.length - at)));
    }
    return Source.from(pieces)
        .runWith(store.write(id, Kind.UPLOAD, "task-" + id, max), kit.system());
  }

  static byte[] readAll(String id, long offset, long length) {
    return await(
            store
                .read(id, offset, length)
                .runWith(Sink.fold(ByteString.emptyByteString(), ByteString::concat), kit.system()))
        .toArray();
  }

  static byte[] slice(byte[] bytes, long from, long to) {
    return java.util.Arrays.copyOfRange(bytes, (int) from, (int) Math.min(to, bytes.length));
  }

  static Throwable failure(CompletionStage<?> stage) {
    try {
      stage.toCompletableFuture().join();
    } catch (RuntimeException e) {
      return Failures.cause(e);
    }
    return fail("expected a failure");
  }

  @Test
  void theStoreOfADatabaseNodeIsThisOne() {
    assertEquals(JdbcBlobStore.class.getName(), db.journalConfig().getString("hive.blobs.store"));
    assertInstanceOf(JdbcBlobStore.class, store);
  }

  @Test
  void rangesAcrossPartBoundariesReadBackExactlyAsStreamsAndAtOnce() throws Exception {
    byte[] data = random(5 * PART + 123, 1);
    BlobStore.BlobInfo info = await(write("ranges", data, 1000, Long.MAX_VALUE));
    assertEquals(data.length, info.size());
    assertTrue(info.complete());
    String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    assertEquals(sha, info.sha256());
    assertEquals(info, await(store.info("ranges")).orElseThrow());
    assertArrayEquals(data, readAll("ranges", 0, -1));
    long[][] ranges = {
      {0, PART},
      {1, PART},
      {PART - 1, 2},
      {PART, PART},
      {PART + 7, 3 * PART},
      {0, 0},
      {data.length - 5, 100},
      {data.length, 10},
      {data.length + 50, 10},
      {3 * PART + 1, -1}
    };
    for (long[] r : ranges) {
      long end = r[1] < 0 ? data.length : r[0] + r[1];
      byte[] expected = r[0] >= data.length ? new byte[0] : slice(data, r[0], end);
      assertArrayEquals(expected, readAll("ranges", r[0], r[1]), "read " + r[0] + "+" + r[1]);
      if (r[1] >= 0) {
        assertArrayEquals(
            expected,
            store.readRange("ranges", r[0], (int) r[1]),
            "readRange " + r[0] + "+" + r[1]);
      }
    }
    // a range of several pages (about 1 MiB of parts per query)
    byte[] large = random(300 * PART + 17, 2);
    await(write("pages", large, 64 * 1024, Long.MAX_VALUE));
    assertArrayEquals(large, readAll("pages", 0, -1));
    assertArrayEquals(
        slice(large, 1000, 1000 + 290 * PART), store.readRange("pages", 1000, 290 * PART));
    await(store.delete("pages"));
  }

  @Test
  void aMissingBlobIsBlobMissingEverywhereAndDeletingItIsHarmless() {
    assertTrue(await(store.info("never")).isEmpty());
    assertInstanceOf(
        BlobStore.BlobMissing.class,
        failure(store.read("never", 0, -1).runWith(Sink.ignore(), kit.system())));
    assertThrows(BlobStore.BlobMissing.class, () -> store.readRange("never", 0, 10));
    await(store.delete("never"));
  }

  @Test
  void aWritePastItsOwnLimitFailsAndLeavesNothingBehind() {
    long before = await(store.totalBytes());
    Throwable e = failure(write("too-large", random(3 * PART, 3), 1000, 2 * PART + 10));
    BlobStore.BlobTooLarge tooLarge = assertInstanceOf(BlobStore.BlobTooLarge.class, e);
    assertEquals(2 * PART + 10, tooLarge.limit);
    assertTrue(await(store.info("too-large")).isEmpty(), "the partial blob is removed");
    assertEquals(before, await(store.totalBytes()));
  }

  @Test
  void aWritePastTheStoresTotalFailsWithStoreFullAndLeavesNothingBehind() {
    long before = await(store.totalBytes());
    byte[] fits = random((int) (TOTAL - before) / 2, 4);
    await(write("half", fits, 5000, Long.MAX_VALUE));
    assertEquals(before + fits.length, await(store.totalBytes()));
    Throwable e = failure(write("overflow", random((int) TOTAL, 5), 5000, Long.MAX_VALUE));
    BlobStore.StoreFull full = assertInstanceOf(BlobStore.StoreFull.class, e);
    assertEquals(TOTAL, full.limit);
    assertTrue(full.held <= TOTAL && full.held >= before + fits.length, "held: " + full.held);
    assertTrue(await(store.info("overflow")).isEmpty(), "the partial blob is removed");
    assertEquals(before + fits.length, await(store.totalBytes()));
    await(store.delete("half"));
    assertEquals(before, await(store.totalBytes()));
  }

  @Test
  void anAppenderCutsBackToItsCheckpointAndAppendsFromThere() throws Exception {
    byte[] data = random(4 * PART, 6);
    BlobStore.Appender first = store.openAppender("appended", Kind.DATASET_RESULT, "t-a", 0);
    first.append(slice(data, 0, 1500));
    first.append(slice(data, 1500, PART + 300));
    long checkpoint = first.sync();
    assertEquals(PART + 300, checkpoint);
    first.append(slice(data, checkpoint, 3 * PART)); // then the writer "crashes": no close
    first.sync();
    assertEquals(3 * PART, await(store.info("appended")).orElseThrow().size());

    // the next incarnation cuts what came after the checkpoint (mid-part) and goes on
    try (BlobStore.Appender second =
        store.openAppender("appended", Kind.DATASET_RESULT, "t-a", checkpoint)) {
      assertArrayEquals(slice(data, 0, checkpoint), readAll("appended", 0, -1));
      second.append(slice(data, checkpoint, 2 * PART + 5));
      second.append(slice(data, 2 * PART + 5, data.length));
      assertEquals(data.length, second.sync());
    }
    BlobStore.BlobInfo info = await(store.info("appended")).orElseThrow();
    assertTrue(info.complete());
    assertEquals(data.length, info.size());
    assertArrayEquals(data, readAll("appended", 0, -1));
    assertArrayEquals(
        slice(data, PART - 10, 3 * PART + 10),
        store.readRange("appended", PART - 10, 2 * PART + 20));

    // a checkpoint on a part boundary, and one beyond what the blob holds
    try (BlobStore.Appender third =
        store.openAppender("appended", Kind.DATASET_RESULT, "t-a", 2 * PART)) {
      third.append(new byte[] {1, 2, 3});
    }
    assertEquals(2 * PART + 3, await(store.info("appended")).orElseThrow().size());
    IOException shorter =
        assertThrows(
            IOException.class,
            () -> store.openAppender("appended", Kind.DATASET_RESULT, "t-a", 10 * PART));
    assertTrue(shorter.getMessage().contains("less than the checkpointed"), shorter.getMessage());
    await(store.delete("appended"));
  }

  @Test
  void deletingRemovesTheBlobAndItsBytesFromTheTotal() {
    long before = await(store.totalBytes());
    await(write("d1", random(3000, 7), 700, Long.MAX_VALUE));
    await(write("d2", random(9000, 8), 700, Long.MAX_VALUE));
    assertEquals(before + 12000, await(store.totalBytes()));
    await(store.delete("d1"));
    assertTrue(await(store.info("d1")).isEmpty());
    assertEquals(before + 9000, await(store.totalBytes()));
    await(store.delete("d2"));
    assertEquals(before, await(store.totalBytes()));
  }

  static void sql(String statement, Object... args) throws Exception {
    try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
        PreparedStatement st = c.prepareStatement(statement)) {
      for (int i = 0; i < args.length; i++) {
        st.setObject(i + 1, args[i]);
      }
      st.executeUpdate();
    }
  }

  /** A task's row as the read side keeps it: only what the sweep reads matters here. */
  static void taskRow(String id, String status, Long endedAtMs) throws Exception {
    sql(
        "INSERT INTO hive_task_view (task_id, created_offset, status, priority, created_at_ms,"
            + " completed_at_ms, last_sequence_nr, events_applied) VALUES (?, 0, ?, 'medium', 0,"
            + " ?, 1, 1)",
        id,
        status,
        endedAtMs);
  }

  @Test
  void theSweepRemovesBlobsPastTheRetentionAndKeepsTheRest() throws Exception {
    long now = System.currentTimeMillis();
    long twoHoursAgo = now - 2 * 3600_000L;
    taskRow("t-ended-long-ago", "completed", twoHoursAgo);
    taskRow("t-ended-lately", "failed", now - 600_000L);
    taskRow("t-running", "running", null);
    String[][] blobs = {
      {"ended-long-ago", "t-ended-long-ago"}, // removed: its task ended 2 h ago (retention 1 h)
      {"ended-lately", "t-ended-lately"}, // kept: ended 10 min ago
      {"no-task-old", "t-never-submitted"}, // removed: no task, made 2 h ago
      {"no-task-new", "t-not-yet-projected"}, // kept: no task yet, made now
      // kept: no read-side row (a read model being rebuilt), but its task is in the journal
      {"journaled-old", "t-journaled"},
      {"cut-upload", "t-running"}, // removed: an upload never finished, made 2 h ago
    };
    for (String[] b : blobs) {
      Source.single(ByteString.fromString("x".repeat(100)))
          .runWith(store.write(b[0], Kind.UPLOAD, b[1], 1000), kit.system())
          .toCompletableFuture()
          .join();
    }
    try (BlobStore.Appender running =
        store.openAppender("running-result", Kind.DATASET_RESULT, "t-running", 0)) {
      running.append(new byte[50]);
      running.sync();
      // kept although made 2 h ago and unfinished: its task still runs
      sql(
          "UPDATE hive_blob SET created_at_ms = ?, complete = FALSE WHERE blob_id = ?",
          twoHoursAgo,
          "running-result");
    }
    sql(
        "UPDATE hive_blob SET created_at_ms = ? WHERE blob_id IN (?, ?, ?)",
        twoHoursAgo,
        "no-task-old",
        "cut-upload",
        "journaled-old");
    sql(
        "INSERT INTO \"event_journal\" (\"persistence_id\", \"sequence_number\", \"writer\","
            + " \"write_timestamp\", \"adapter_manifest\", \"event_payload\", \"event_ser_id\","
            + " \"event_ser_manifest\") VALUES ('Task|t-journaled', 1, 'test', 0, '', ?, 1, '')",
        new byte[] {1});
    sql("UPDATE hive_blob SET complete = FALSE WHERE blob_id = ?", "cut-upload");
    sql("UPDATE hive_blob SET complete = FALSE WHERE blob_id = ?", "running-result");

    assertEquals(3, await(((JdbcBlobStore) store).sweep()));
    for (String gone : List.of("ended-long-ago", "no-task-old", "cut-upload")) {
      assertTrue(await(store.info(gone)).isEmpty(), gone + " is removed");
    }
    for (String kept : List.of("ended-lately", "no-task-new", "running-result", "journaled-old")) {
      assertTrue(await(store.info(kept)).isPresent(), kept + " is kept");
    }
    assertEquals(0, await(((JdbcBlobStore) store).sweep()), "a second sweep finds nothing");
    for (String kept : List.of("ended-lately", "no-task-new", "running-result", "journaled-old")) {
      await(store.delete(kept));
    }
  }
}
