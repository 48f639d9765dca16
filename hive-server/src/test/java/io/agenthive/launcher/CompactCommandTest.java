package io.agenthive.launcher;

import static org.junit.jupiter.api.Assertions.*;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import io.agenthive.hive.Hive;
import io.agenthive.hive.HiveTestKit;
import io.agenthive.node.HiveNode;
import io.agenthive.persistence.DatabaseSettings;
import io.agenthive.persistence.TestDatabase;
import io.agenthive.security.HubTokens;
import io.agenthive.security.SecuritySettings;
import io.agenthive.task.Priority;
import io.agenthive.task.Task;
import io.agenthive.task.TaskStatus;
import io.agenthive.testing.Eventually;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./hive compact} on a real hub's H2 file: the file the hub grew while it ran comes back to
 * its live data, with every event, its hash chain and every task still there.
 */
class CompactCommandTest {
  private static final int TASKS = 200;

  @TempDir Path dataDir;

  private Config config() {
    Config base = TestDatabase.config(dataDir);
    return base.withValue(
            // H2 compacts for up to 200 ms when the hub stops; how much that does depends on the
            // machine, so the hub here leaves its file as it grew, as a crash or kill -9 would
            "hive.persistence.h2.options",
            ConfigValueFactory.fromAnyRef(
                base.getString("hive.persistence.h2.options") + ";MAX_COMPACT_TIME=0"))
        .withValue(
            "hive.http.auth.signing-key-file",
            ConfigValueFactory.fromAnyRef(dataDir.resolve("signing-key.jwk").toString()));
  }

  /** A real hub's 200 noop tasks, then the hub stopped; the ids of its tasks. */
  private List<String> hubRanTasks(Config config) throws Exception {
    // the key ./hive verify checks checkpoints with, made as the hub's HTTP side makes it
    HubTokens.load(SecuritySettings.from(config), Clock.systemUTC());
    List<String> ids = new ArrayList<>();
    Hive hive = HiveNode.start("compact-cli", config);
    try {
      HiveTestKit.await(hive.ready(Duration.ofSeconds(30)));
      HiveTestKit.agent(hive, "compact-agent", "noop", HiveTestKit.cap("compact", 0.5));
      for (int i = 0; i < TASKS; i++) {
        Task task =
            HiveTestKit.submit(
                hive,
                HiveTestKit.task("task " + i, Priority.HIGH, HiveTestKit.needs("compact", 0.1)));
        ids.add(task.id());
      }
      for (String id : ids) {
        HiveTestKit.awaitStatus(hive, id, TaskStatus.COMPLETED);
      }
    } finally {
      hive.system().terminate();
      hive.system().getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    // the stopped hub's pools close just after its actor system: the file is free once H2's lock
    // on it is gone, as it is when a hub process has exited
    Path file = dataDir.resolve("hive.mv.db");
    Eventually.until(() -> unlocked(file), free -> free, "the stopped hub to release its file");
    return ids;
  }

  @Test
  void shrinksTheFileAndKeepsEveryEventAndTask() throws Exception {
    Assumptions.assumeFalse(TestDatabase.postgres(), "compact is for the embedded H2 file");
    Config config = config();
    List<String> ids = hubRanTasks(config);
    Path file = dataDir.resolve("hive.mv.db");
    long before = Files.size(file);
    long events = journalRows(config);
    // whatever this machine's umask, the command must leave the directory its owner's alone
    Path other = Files.writeString(dataDir.resolve("left-open.txt"), "x");
    Files.setPosixFilePermissions(other, PosixFilePermissions.fromString("rw-r--r--"));

    Ran ran = compactInItsOwnJvm();

    assertEquals(0, ran.code(), ran.out() + ran.err());
    assertEquals("", ran.err().strip(), "nothing on stderr");
    assertEquals(1, ran.out().strip().lines().count(), "one line: " + ran.out());
    Matcher line =
        Pattern.compile("Compacted (.+) from ([0-9.,]+) MB to ([0-9.,]+) MB in [0-9.]+ s\\.")
            .matcher(ran.out().strip());
    assertTrue(line.matches(), "the command's line: " + ran.out());
    assertEquals(file.toString(), line.group(1));
    long after = Files.size(file);
    // what the hub left is mostly space of writes since replaced: the live rows are a fraction
    assertTrue(
        after * 3 < before, "the file should shrink to under a third: " + before + " -> " + after);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(other)));
    assertEquals(events, journalRows(config), "every journal row is still there");
    assertEquals(
        0,
        JournalCommands.verify(config, List.of()),
        "every event's hash chain and checkpoint still verifies");

    Hive again = HiveNode.start("compact-cli-again", config);
    try {
      HiveTestKit.await(again.ready(Duration.ofSeconds(30)));
      for (String id : ids) {
        assertEquals(TaskStatus.COMPLETED, HiveTestKit.task(again, id).status(), id);
      }
    } finally {
      again.system().terminate();
      again.system().getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  /** A database H2 cannot open (here: a leftover it cannot remove) is one sentence, data kept. */
  @Test
  void aDatabaseH2CannotOpenIsOneSentenceAndTheDataStays() throws Exception {
    Assumptions.assumeFalse(TestDatabase.postgres(), "compact is for the embedded H2 file");
    Config config = config();
    hubRanTasks(config);
    long events = journalRows(config);
    Path blocker = Files.createDirectories(dataDir.resolve("hive.mv.db.tempFile"));
    Files.writeString(blocker.resolve("in-the-way"), "x");

    Ran ran = compactInItsOwnJvm();

    assertEquals(2, ran.code(), ran.out() + ran.err());
    List<String> lines = ran.err().strip().lines().toList();
    assertEquals(1, lines.size(), "one sentence: " + ran.err());
    assertTrue(lines.get(0).startsWith("./hive compact could not open "), lines.get(0));
    assertFalse(ran.err().contains("\tat "), "no stack trace: " + ran.err());
    Files.delete(blocker.resolve("in-the-way"));
    Files.delete(blocker);
    assertEquals(events, journalRows(config), "every journal row is still there");
  }

  /**
   * H2 reports a compaction it could not finish (a full disk) only in its trace, which the hub
   * turns off; the copy it leaves beside the database is the sign, removed as H2 does at an open.
   */
  @Test
  void theCopyAnUnfinishedCompactionLeavesIsSeenAndRemoved() throws Exception {
    Path file = Files.write(dataDir.resolve("hive.mv.db"), new byte[] {1, 2, 3});
    assertTrue(CompactCommand.finished(file), "nothing left behind: finished");
    Path copy = Files.write(dataDir.resolve("hive.mv.db.tempFile"), new byte[] {4, 5});
    assertFalse(CompactCommand.finished(file), "a copy left behind: not finished");
    assertFalse(Files.exists(copy), "the unfinished copy is removed");
    assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(file), "the database untouched");
  }

  private record Ran(int code, String out, String err) {}

  /** As {@code ./hive compact} runs: its own process on the stopped hub's data directory. */
  private Ran compactInItsOwnJvm() throws Exception {
    List<String> cmd = ChildJvm.command("-Xmx256m");
    cmd.add("io.agenthive.launcher.Main");
    cmd.add("compact");
    Path out = Files.createTempFile("compact", ".out");
    Path err = Files.createTempFile("compact", ".err");
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.environment().put("HIVE_DATA_DIR", dataDir.toString());
    pb.environment().remove("HIVE_DB");
    Process p = pb.start();
    p.getOutputStream().close();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "./hive compact did not end");
    return new Ran(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  /**
   * In this JVM a lock H2 still holds makes {@code tryLock} throw instead of waiting. (Closing this
   * channel would drop H2's lock at the system's level, locks being the process's: harmless, as the
   * command starts only once H2 has let go.)
   */
  private static boolean unlocked(Path file) throws Exception {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE);
        FileLock lock = channel.tryLock()) {
      return lock != null;
    } catch (OverlappingFileLockException held) {
      return false;
    }
  }

  private static long journalRows(Config config) throws Exception {
    try (Connection c = DatabaseSettings.from(config).connect();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM \"event_journal\"")) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
