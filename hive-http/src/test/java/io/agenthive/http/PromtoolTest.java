package io.agenthive.http;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prometheus's own checker on a live hub's {@code /metrics} (after tasks ran, so the labelled
 * series exist) and on the alert rules under deploy/. Needs Debian's prometheus package
 * (deploy/test-tools/install.sh), hence -Ptools.
 */
@Tag("needs-tools")
class PromtoolTest {
  @TempDir static Path dataDir;
  static ApiTestHub hub;

  @BeforeAll
  static void start() throws Exception {
    hub = ApiTestHub.start("PromtoolTest", dataDir, "");
  }

  @AfterAll
  static void stop() {
    hub.stop();
  }

  record Run(int exit, String output) {}

  static Run promtool(byte[] stdin, String... args) throws Exception {
    String[] command = new String[args.length + 1];
    command[0] = "promtool";
    System.arraycopy(args, 0, command, 1, args.length);
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    try (var in = p.getOutputStream()) {
      in.write(stdin);
    }
    String out = read(p.getInputStream());
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "promtool ended");
    return new Run(p.exitValue(), out);
  }

  private static String read(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    in.transferTo(out);
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void theLiveScrapePassesPromtoolCheckMetrics() throws Exception {
    var agent =
        hub.http.post(
            "/api/agents",
            """
        {"name": "lint-worker", "type": "worker", "skill": "noop",
         "capabilities": [{"name": "lint.cap", "proficiency": 0.9}]}""");
    assertEquals(201, agent.status(), agent.body());
    var task =
        hub.http.post(
            "/api/tasks",
            """
        {"title": "linted", "required_capabilities": [{"name": "lint.cap"}]}""");
    assertEquals(201, task.status(), task.body());
    String id = task.json().get("id").asText();
    hub.http.getUntil(
        "/api/tasks/" + id, r -> "completed".equals(r.json().path("status").asText()), id);
    byte[] scrape = hub.http.get("/metrics").body().getBytes(StandardCharsets.UTF_8);
    Run run = promtool(scrape, "check", "metrics");
    assertEquals(0, run.exit(), "promtool check metrics:\n" + run.output());
  }

  @Test
  void theAlertRulesPassPromtoolCheckRules() throws Exception {
    Run run = promtool(new byte[0], "check", "rules", "../deploy/prometheus/alerts.yml");
    assertEquals(0, run.exit(), run.output());
    assertTrue(run.output().contains("SUCCESS: 8 rules found"), run.output());
  }
}
