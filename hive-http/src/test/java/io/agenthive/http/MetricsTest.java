package io.agenthive.http;

import static org.junit.jupiter.api.Assertions.*;

import io.agenthive.testing.Eventually;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /metrics} on a live hub: the series exist, move as tasks run, and stay bounded. */
@Tag("database-neutral") // the /metrics series: the same on every database
class MetricsTest {
  private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][\\w:]*)(\\{.*})? (\\S+)$");
  @TempDir static Path dataDir;
  static ApiTestHub hub;

  @BeforeAll
  static void start() throws Exception {
    hub = ApiTestHub.start("MetricsTest", dataDir, "");
  }

  @AfterAll
  static void stop() {
    hub.stop();
  }

  /** Every sample of the scrape: {@code name{labels}} to its value. */
  static Map<String, Double> samples(String body) {
    Map<String, Double> out = new LinkedHashMap<>();
    for (String line : body.split("\n")) {
      Matcher m = SAMPLE.matcher(line);
      if (!line.startsWith("#") && m.matches()) {
        out.put(
            m.group(1) + (m.group(2) == null ? "" : m.group(2)), Double.parseDouble(m.group(3)));
      }
    }
    return out;
  }

  /** The sum of the samples named {@code name} whose labels include every one of {@code labels}. */
  static double value(Map<String, Double> samples, String name, String... labels) {
    double sum = 0;
    for (Map.Entry<String, Double> e : samples.entrySet()) {
      String key = e.getKey();
      if (!key.equals(name) && !key.startsWith(name + "{")) {
        continue;
      }
      boolean all = true;
      for (String label : labels) {
        all &= key.contains(label);
      }
      if (all) {
        sum += e.getValue();
      }
    }
    return sum;
  }

  static Map<String, Double> scrape() throws Exception {
    var r = hub.http.get("/metrics");
    assertEquals(200, r.status(), r.body());
    assertTrue(
        r.header("Content-Type").startsWith("text/plain; version=0.0.4"), r.header("Content-Type"));
    return samples(r.body());
  }

  @Test
  void tasksMoveTheCountersAndHistogramsAndIdsNeverBecomeLabels() throws Exception {
    Map<String, Double> before = scrape();
    var agent =
        hub.http.post(
            "/api/agents",
            """
        {"name": "metrics-worker", "type": "worker", "skill": "noop",
         "capabilities": [{"name": "metrics.cap", "proficiency": 0.9}]}""");
    assertEquals(201, agent.status(), agent.body());
    String lastTask = null;
    for (int i = 0; i < 3; i++) {
      var task =
          hub.http.post(
              "/api/tasks",
              """
          {"title": "measured", "type": "report", "priority": "high",
           "required_capabilities": [{"name": "metrics.cap", "minimum_proficiency": 0.5}]}""");
      assertEquals(201, task.status(), task.body());
      lastTask = task.json().get("id").asText();
      String id = lastTask;
      hub.http.getUntil(
          "/api/tasks/" + id, r -> "completed".equals(r.json().path("status").asText()), id);
    }
    Map<String, Double> after =
        Eventually.eventually(
            () -> {
              try {
                Map<String, Double> s = scrape();
                return value(s, "hive_tasks_completed_total", "priority=\"high\"")
                        >= value(before, "hive_tasks_completed_total", "priority=\"high\"") + 3
                    ? s
                    : null;
              } catch (Exception e) {
                throw new AssertionError(e);
              }
            },
            "the completions in /metrics");
    String high = "priority=\"high\"";
    assertEquals(
        3,
        value(after, "hive_tasks_submitted_total", high, "type=\"report\"")
            - value(before, "hive_tasks_submitted_total", high, "type=\"report\""));
    assertEquals(
        3,
        value(after, "hive_tasks_completed_total", high, "type=\"report\"", "skill=\"noop\"")
            - value(
                before, "hive_tasks_completed_total", high, "type=\"report\"", "skill=\"noop\""));
    assertEquals(
        3,
        value(after, "hive_task_wait_seconds_count", high)
            - value(before, "hive_task_wait_seconds_count", high));
    assertEquals(
        3,
        value(after, "hive_task_run_seconds_count", "skill=\"noop\"")
            - value(before, "hive_task_run_seconds_count", "skill=\"noop\""));
    assertTrue(
        value(after, "hive_journal_write_seconds_count")
            > value(before, "hive_journal_write_seconds_count"));
    assertTrue(
        value(
                after,
                "http_server_request_duration_seconds_count",
                "route=\"/api/tasks/{id}\"",
                "method=\"GET\"",
                "status=\"200\"")
            >= 3,
        "request durations by route template");
    assertTrue(
        value(after, "hive_agents") >= 1,
        () ->
            after.entrySet().stream()
                .filter(e -> e.getKey().startsWith("hive_"))
                .toList()
                .toString());
    assertTrue(
        after.containsKey("hive_queue_depth{priority=\"critical\"}"),
        "every priority has its series");
    assertTrue(after.containsKey("hive_websocket_clients{endpoint=\"ws\"}"));
    assertEquals(1.0, after.get("hive_cluster_members{status=\"up\"}"), "a node alone is up");
    assertEquals(0.0, after.get("hive_cluster_members{status=\"down\"}"));
    assertEquals(0.0, after.get("hive_cluster_unreachable_members"));
    assertTrue(value(after, "jvm_memory_used_bytes") > 0, "JVM metrics");
    assertTrue(value(after, "process_cpu_seconds_total") > 0, "process metrics");
    String id = lastTask;
    assertTrue(
        after.keySet().stream().noneMatch(k -> k.contains(id)),
        "a task id never becomes a label value");
  }

  /** The Grafana panels and alert rules under deploy/ name only series this hub exports. */
  @Test
  void theGrafanaDashboardAndTheAlertRulesUseOnlySeriesTheHubExports() throws Exception {
    runOneTask("grafana.cap");
    timeOneTaskOut();
    failOneCallToAClosedPort();
    String scrape = hub.http.get("/metrics").body();
    // hive_llm_tokens_total appears with the first LLM call: LlmSkillTest checks it moves
    Set<String> exported = new HashSet<>(Set.of("hive_llm_tokens_total"));
    Matcher types = Pattern.compile("(?m)^# TYPE (\\S+) (\\S+)$").matcher(scrape);
    while (types.find()) {
      String name = types.group(1);
      exported.add(name);
      if (types.group(2).equals("histogram")) {
        exported.addAll(Set.of(name + "_bucket", name + "_count", name + "_sum"));
      } else if (types.group(2).equals("counter")) {
        exported.add(name + "_total");
      }
    }
    Pattern used = Pattern.compile("\\b((?:hive|http_server|jvm|process)_[a-z_]+)\\b");
    for (String file :
        List.of("../deploy/grafana/agent-hive.json", "../deploy/prometheus/alerts.yml")) {
      Matcher m = used.matcher(Files.readString(Path.of(file)));
      int count = 0;
      while (m.find()) {
        count++;
        assertTrue(exported.contains(m.group(1)), file + " uses " + m.group(1) + ", not exported");
      }
      assertTrue(count > 3, file + " names the hub's series");
    }
  }

  private static void runOneTask(String capability) throws Exception {
    var agent =
        hub.http.post(
            "/api/agents",
            "{\"name\": \"one-task-worker\", \"type\": \"worker\", \"skill\": \"noop\", \"capabilities\": [{\"name\": \""
                + capability
                + "\", \"proficiency\": 0.9}]}");
    assertEquals(201, agent.status(), agent.body());
    var task =
        hub.http.post(
            "/api/tasks",
            "{\"title\": \"one\", \"required_capabilities\": [{\"name\": \""
                + capability
                + "\"}]}");
    assertEquals(201, task.status(), task.body());
    String id = task.json().get("id").asText();
    hub.http.getUntil(
        "/api/tasks/" + id, r -> "completed".equals(r.json().path("status").asText()), id);
  }

  /** A task whose only attempt outlasts its timeout: a failed attempt, reason timeout. */
  private static void timeOneTaskOut() throws Exception {
    var agent =
        hub.http.post(
            "/api/agents",
            """
        {"name": "slow-worker", "type": "worker",
         "skill": {"name": "simulated", "config": {"min_duration_ms": 5000, "max_duration_ms": 5000}},
         "capabilities": [{"name": "metrics.slow", "proficiency": 0.9}]}""");
    assertEquals(201, agent.status(), agent.body());
    var task =
        hub.http.post(
            "/api/tasks",
            """
        {"title": "too slow", "timeout_ms": 200, "max_attempts": 1,
         "required_capabilities": [{"name": "metrics.slow"}]}""");
    assertEquals(201, task.status(), task.body());
    String id = task.json().get("id").asText();
    hub.http.getUntil(
        "/api/tasks/" + id, r -> "failed".equals(r.json().path("status").asText()), id);
    var scraped = samples(hub.http.get("/metrics").body());
    assertEquals(
        1.0,
        value(scraped, "hive_tasks_failed_total", "skill=\"simulated\"", "reason=\"timeout\""));
  }

  /** An http agent whose endpoint refuses connections: its circuit gets a series. */
  private static void failOneCallToAClosedPort() throws Exception {
    int closed;
    try (var socket = new java.net.ServerSocket(0)) {
      closed = socket.getLocalPort(); // free now, closed once the socket is
    }
    var agent =
        hub.http.post(
            "/api/agents",
            "{\"name\": \"hook-worker\", \"type\": \"worker\", \"skill\": {\"name\": \"http\","
                + " \"config\": {\"url\": \"http://127.0.0.1:"
                + closed
                + "/hook\"}}, \"capabilities\": [{\"name\": \"metrics.hook\", \"proficiency\": 0.9}]}");
    assertEquals(201, agent.status(), agent.body());
    var task =
        hub.http.post(
            "/api/tasks",
            """
        {"title": "refused", "max_attempts": 1, "required_capabilities": [{"name": "metrics.hook"}]}""");
    assertEquals(201, task.status(), task.body());
    String id = task.json().get("id").asText();
    hub.http.getUntil(
        "/api/tasks/" + id, r -> "failed".equals(r.json().path("status").asText()), id);
    var scraped = samples(hub.http.get("/metrics").body());
    String endpoint = "endpoint=\"http://127.0.0.1:" + closed + "\"";
    assertEquals(
        1.0, value(scraped, "hive_circuit_state", endpoint, "state=\"closed\""), scraped::toString);
    assertEquals(0.0, value(scraped, "hive_circuit_state", endpoint, "state=\"open\""));
  }

  @Test
  void needsCredentials() throws Exception {
    assertEquals(401, hub.http.as(null).get("/metrics").status());
  }
}
