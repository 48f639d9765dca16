package io.agenthive.launcher;

import static org.junit.jupiter.api.Assertions.*;

import io.agenthive.hive.Hive;
import io.agenthive.hive.HiveTestKit;
import io.agenthive.node.HiveNode;
import io.agenthive.persistence.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every launcher command answers misuse the way a person needs: one sentence on stderr that says
 * what to do, exit code 2, no stack trace, and nothing left in the data directory. Each case runs
 * the real launcher in its own JVM, as {@code ./hive} does.
 */
@Tag("database-neutral") // the edge or the launcher's own checks: the same on every database
class CommandLineMisuseTest {
  @TempDir Path dir;

  private Path data() {
    return dir.resolve("data");
  }

  private record Ran(int code, String out, String err) {}

  private Ran launch(String... args) throws Exception {
    return launch(Map.of(), args);
  }

  private Ran launch(Map<String, String> env, String... args) throws Exception {
    List<String> cmd = ChildJvm.command("-Xmx256m");
    cmd.add("io.agenthive.launcher.Main");
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("HIVE_DATA_DIR", data().toString());
    pb.environment().remove("HIVE_WORKER_TOKEN");
    pb.environment().putAll(env);
    Process p = pb.start();
    p.getOutputStream().close();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the command did not end: " + args[0]);
    return new Ran(
        p.exitValue(),
        new String(p.getInputStream().readAllBytes()),
        new String(p.getErrorStream().readAllBytes()));
  }

  static Stream<Arguments> misuses() {
    return Stream.of(
        Arguments.of(List.of("frobnicate"), "./hive has no command 'frobnicate'"),
        Arguments.of(List.of("serve", "--port", "9000"), "configured by environment variables"),
        Arguments.of(List.of("replay"), "./hive replay needs --at, e.g. --at 2026-"),
        Arguments.of(List.of("replay", "--at"), "--at needs a value"),
        Arguments.of(
            List.of("replay", "--at", "yesterday"),
            "--at must be an ISO-8601 instant in UTC such as 2026-11-22T12:00:00Z, not 'yesterday'"),
        Arguments.of(List.of("export", "--since", "x"), "--since must be a whole number"),
        Arguments.of(List.of("export", "--bogus"), "./hive export does not take --bogus"),
        Arguments.of(List.of("export", "--out", "/no/such/folder/x.ndjson"), "does not exist"),
        Arguments.of(List.of("export"), "There is no hub database in "),
        Arguments.of(List.of("verify"), "There is no hub database in "),
        Arguments.of(List.of("verify", "--bogus"), "./hive verify does not take --bogus"),
        Arguments.of(List.of("replay", "--at", "2026-11-22T12:00:00Z"), "There is no hub database"),
        Arguments.of(
            List.of("replay-decisions", "--from", "last week"),
            "--from must be an ISO-8601 instant in UTC such as 2026-12-01T00:00:00Z"),
        Arguments.of(
            List.of("replay-decisions", "--policy", "/no/such/policy.conf"),
            "--policy /no/such/policy.conf: there is no such file."),
        Arguments.of(List.of("replay-decisions"), "There is no hub database"),
        Arguments.of(List.of("compact"), "There is no hub database in "),
        Arguments.of(List.of("compact", "--now"), "./hive compact takes no options (--now)"),
        Arguments.of(List.of("import"), "./hive import needs the backup file"),
        Arguments.of(
            List.of("import", "/no/such/backup.ndjson"),
            "./hive import /no/such/backup.ndjson: there is no such file."),
        Arguments.of(
            List.of("export", "--backup", "--since", "3"), "--backup writes the whole database"),
        Arguments.of(List.of("demo", "--agents", "x"), "--agents must be a whole number"),
        Arguments.of(List.of("demo", "--tasks"), "--tasks needs a value"),
        Arguments.of(
            List.of("load", "--tasks", "-1"), "--tasks must be a whole number of at least 1"),
        Arguments.of(List.of("load", "--agent", "3"), "./hive load does not take --agent"),
        Arguments.of(List.of("worker"), "./hive worker needs a worker token"),
        Arguments.of(
            List.of("worker", "--token", "t", "--url", "http://hub:8080"),
            "--url must be a WebSocket address"),
        Arguments.of(
            List.of("worker", "--token", "t", "--capability", "summarize"),
            "--capability must be name=proficiency"),
        Arguments.of(List.of("keys"), "Say what to do: ./hive keys create, list or revoke"),
        Arguments.of(
            List.of("keys", "rotate"), "./hive keys knows create, list or revoke, not rotate"),
        Arguments.of(List.of("keys", "list"), "No key to call the hub with"),
        Arguments.of(List.of("users", "create"), "No key to call the hub with"),
        Arguments.of(
            List.of("mcp", "--url", "ftp://hub"), "./hive mcp --url needs the hub's address"),
        Arguments.of(List.of("mcp", "--port", "1"), "./hive mcp does not take --port"),
        Arguments.of(List.of("mcp"), "No key to call the hub with"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("misuses")
  void misuseIsOneSentenceAndExitCodeTwo(List<String> args, String sentence) throws Exception {
    Ran ran = launch(args.toArray(String[]::new));
    assertOneSentence(ran, sentence);
    assertFalse(
        Files.exists(data()) && Files.list(data()).findAny().isPresent(),
        "the misuse left files behind in " + data());
  }

  @Test
  void compactRefusesPostgresql() throws Exception {
    // refused before any connection: no PostgreSQL needs to answer at this address
    assertOneSentence(
        launch(
            Map.of("HIVE_DB", "postgres", "HIVE_DB_URL", "jdbc:postgresql://127.0.0.1:1/none"),
            "compact"),
        "./hive compact is for the embedded H2 file; PostgreSQL gives dead rows' space back by"
            + " itself (autovacuum).");
  }

  @Test
  void journalCommandsRefuseWhileTheHubHoldsTheEmbeddedDatabase() throws Exception {
    Assumptions.assumeFalse(TestDatabase.postgres(), "only H2 allows one process");
    Hive hive = HiveNode.start("cli-misuse", TestDatabase.config(data()));
    try {
      HiveTestKit.await(hive.ready(Duration.ofSeconds(30)));
      List<String> before = listing(data());
      for (String[] args :
          List.of(
              new String[] {"export"},
              new String[] {"replay", "--at", "2026-11-22T12:00:00Z"},
              new String[] {"verify"},
              new String[] {"replay-decisions"})) {
        assertOneSentence(
            launch(args),
            "The hub is running on "
                + data()
                + " (the embedded database allows one process): stop it, or ask the running hub"
                + " (/api/audit/events");
      }
      assertOneSentence(
          launch("compact"),
          "The hub is running on "
              + data()
              + " (the embedded database allows one process): stop it first, then run ./hive"
              + " compact.");
      assertEquals(before, listing(data()), "no trace file or other leftovers");
    } finally {
      hive.system().terminate();
      hive.system().getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  private static List<String> listing(Path dir) throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(f -> f.getFileName().toString()).sorted().toList();
    }
  }

  private static void assertOneSentence(Ran ran, String sentence) {
    assertEquals(2, ran.code(), "exit code; stderr: " + ran.err());
    List<String> lines = ran.err().lines().filter(l -> !l.isBlank()).toList();
    assertEquals(1, lines.size(), "one line on stderr, got:\n" + ran.err());
    assertTrue(lines.get(0).contains(sentence), "expected '" + sentence + "' in: " + lines.get(0));
    assertTrue(lines.get(0).endsWith("."), "a sentence: " + lines.get(0));
    assertFalse(
        ran.err().contains("Exception") || ran.out().contains("\tat "),
        "no stack trace:\n" + ran.out() + ran.err());
  }
}
