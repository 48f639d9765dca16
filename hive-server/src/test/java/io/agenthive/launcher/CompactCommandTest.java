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

  @Test
  void shrinksTheFileAndKeepsEveryEventAndTask() throws Exception {
    Assumptions.assumeFalse(TestDatabase.postgres(), "compact is for the embedded H2 file");
    Config config = config();
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
    Path file = dataDir.resolve("hive.mv.db");
    // the stopped hub's pools close just after its actor system: the file is free once H2's lock
    // on it is gone, as it is when a hub process has exited
    Eventually.until(() -> unlocked(file), free -> free, "the stopped hub to release its file");
    long before = Files.size(file);
    long events = journalRows(config);

    String printed = compactInItsOwnJvm();

    long after = Files.size(file);
    Matcher line =
        Pattern.compile("Compacted (.+) from ([0-9.,]+) MB to ([0-9.,]+) MB in [0-9.]+ s\\.")
            .matcher(printed);
    assertTrue(line.find(), "the command's one line: " + printed);
    assertEquals(file.toString(), line.group(1));
    // what the hub left is mostly space of writes since replaced: the live rows are a fraction
    assertTrue(
        after * 3 < before, "the file should shrink to under a third: " + before + " -> " + after);
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
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

  /** As {@code ./hive compact} runs: its own process on the stopped hub's data directory. */
  private String compactInItsOwnJvm() throws Exception {
    List<String> cmd = ChildJvm.command("-Xmx256m");
    cmd.add("io.agenthive.launcher.Main");
    cmd.add("compact");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("HIVE_DATA_DIR", dataDir.toString());
    pb.environment().remove("HIVE_DB");
    Process p = pb.start();
    p.getOutputStream().close();
    String printed = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "./hive compact did not end");
    assertEquals(0, p.exitValue(), printed);
    return printed;
  }

  /** In this JVM a lock H2 still holds makes {@code tryLock} throw instead of waiting. */
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
