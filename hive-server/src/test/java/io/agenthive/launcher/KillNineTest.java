package io.agenthive.launcher;

import static org.junit.jupiter.api.Assertions.*;

import io.agenthive.testing.Eventually;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the real launcher's load command in a separate JVM, kills it with SIGKILL mid-load, starts
 * the hub again on the same H2 file in another JVM, and proves that every acknowledged task is back
 * and ends, and that no task was completed twice (counted in the journal itself).
 */
class KillNineTest {
  @TempDir Path dataDir;

  private Process java(Path output, String mainClass, String... args) throws Exception {
    List<String> cmd = ChildJvm.command("-Xmx512m", "-Dakka.loglevel=WARNING");
    cmd.add(mainClass);
    cmd.addAll(List.of(args));
    // to a file, not a pipe: after SIGKILL the file still holds every line the hub wrote
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(output.toFile());
    pb.environment().put("HIVE_DATA_DIR", dataDir.toString());
    return pb.start();
  }

  private static List<String> acks(Path output) throws Exception {
    return Files.readAllLines(output, StandardCharsets.UTF_8).stream()
        .filter(l -> l.startsWith("ack ") && l.length() > 4)
        .map(l -> l.substring(4).trim())
        .toList();
  }

  @Test
  void noAcknowledgedTaskIsLostOrCompletedTwiceAfterKillMinus9() throws Exception {
    // this proves the embedded H2 set-up (WRITE_DELAY=0); the PostgreSQL run does not repeat it
    Assumptions.assumeFalse(io.agenthive.persistence.TestDatabase.postgres());
    Path hubLog = dataDir.resolve("hub.log");
    Process hub =
        java(
            hubLog,
            "io.agenthive.launcher.Main",
            "load",
            "--tasks",
            "100000",
            "--agents",
            "4",
            "--concurrency",
            "32",
            "--print-acks");
    // a hub that died under load stops the wait too: the assertions below then say so
    try {
      Eventually.until(
          () -> acks(hubLog).size() >= 400 || !hub.isAlive(),
          Boolean.TRUE::equals,
          "400 acknowledged tasks",
          Duration.ofSeconds(90));
    } catch (AssertionError timedOut) {
      hub.destroyForcibly(); // a load left running would outlive the test
      throw timedOut;
    }
    assertTrue(hub.isAlive(), "the hub was running under load:\n" + Files.readString(hubLog));
    hub.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no flush
    assertTrue(hub.waitFor(30, TimeUnit.SECONDS));
    List<String> acked = acks(hubLog);
    assertTrue(acked.size() >= 400, "the load ran before the kill: " + acked.size());
    Path ackFile = dataDir.resolve("acked.txt");
    Files.write(ackFile, acked);

    Path loadDir = dataDir.resolve("load");
    Path checkLog = dataDir.resolve("check.log");
    Process check =
        java(
            checkLog,
            "io.agenthive.launcher.RecoveryCheck",
            loadDir.toString(),
            ackFile.toString());
    assertTrue(check.waitFor(180, TimeUnit.SECONDS), "the restarted hub finished checking");
    String report = Files.readString(checkLog);
    assertTrue(
        report.contains("result completed=" + acked.size() + " failed=0 missing=0"),
        "every acknowledged task completes after the crash:\n" + tail(report));

    try (Connection c =
            DriverManager.getConnection(
                "jdbc:h2:file:" + loadDir.resolve("hive") + ";ACCESS_MODE_DATA=r", "sa", "");
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT COUNT(*), COUNT(DISTINCT \"persistence_id\")"
                    + " FROM \"event_journal\" WHERE \"event_ser_manifest\" LIKE '%TaskCompleted'")) {
      assertTrue(rs.next());
      assertTrue(rs.getLong(1) >= acked.size());
      assertEquals(rs.getLong(2), rs.getLong(1), "one TaskCompleted per task, never two");
      System.out.printf(
          "kill -9 after %d acknowledged tasks; %d TaskCompleted events in the"
              + " journal for %d tasks%n",
          acked.size(), rs.getLong(1), rs.getLong(2));
    }
  }

  private static String tail(String s) {
    return s.length() < 3000 ? s : s.substring(s.length() - 3000);
  }
}
