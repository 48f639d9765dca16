package io.agenthive.launcher;

import static org.junit.jupiter.api.Assertions.*;

import io.agenthive.skill.AbusiveEndpoint;
import io.agenthive.testing.Eventually;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real hub in a JVM of 512 MiB, its {@code http} agents pointed at a real local endpoint that
 * answers with 25 MB, with 200 MB streamed, with a body that never ends and with a body that
 * stalls: each attempt fails within its timeout with a named reason, the hub keeps serving reads
 * and completing other tasks, its heap after a collection stays small after each, and a restart
 * comes up ready with every task as it was.
 */
class SmallHeapAnswersTest {
  record Case(String path, long timeoutMs, String reason) {}

  static final List<Case> CASES =
      List.of(
          new Case("/json/26214400", 60_000, "output_too_large: the answer of 127.0.0.1:"),
          new Case("/text/209715200", 60_000, "output_too_large: the answer of 127.0.0.1:"),
          new Case("/endless", 60_000, "output_too_large: the answer of 127.0.0.1:"),
          new Case("/stall", 3_000, "did not finish its answer within 3000 ms"));

  @TempDir Path dir;

  @Test
  void badAnswersCostOneAttemptEachAndNeverTheHub() throws Exception {
    try (AbusiveEndpoint endpoint = new AbusiveEndpoint();
        HubProcess hub = new HubProcess(dir, "512m", Map.of())) {
      hub.start();
      hub.awaitReady();
      agent(hub, "noop", "{}", "plain");
      Map<String, Case> failed = new LinkedHashMap<>();
      int n = 0;
      for (Case c : CASES) {
        String capability = "bad" + n++;
        String config =
            "{\"url\": \"" + endpoint.url(c.path()) + "\", \"timeout_ms\": " + c.timeoutMs() + "}";
        agent(hub, "http", config, capability);
        String id = task(hub, capability, c.timeoutMs() + 30_000);
        String error = awaitFailed(hub, id);
        assertTrue(error.contains(c.reason()), c.path() + ": " + error);
        failed.put(id, c);
        // the hub goes on: it reads, and it completes other work
        PoisonEventTest.awaitStatus(hub, task(hub, "plain", 10_000), "completed");
        assertEquals(200, hub.call("GET", "/api/tasks?limit=5", null).status());
        double heap = heapAfterGcMiB(hub.pid());
        assertTrue(heap < 200, "heap after " + c.path() + ": " + heap + " MiB");
      }
      hub.stop();
      hub.start();
      hub.awaitReady();
      for (var e : failed.entrySet()) {
        String error = hub.get("/api/tasks/" + e.getKey()).at("/result/error").asText();
        assertTrue(error.contains(e.getValue().reason()), error);
      }
    }
  }

  static void agent(HubProcess hub, String skill, String config, String capability)
      throws Exception {
    String body =
        "{\"name\": \""
            + capability
            + "\", \"type\": \"worker\", \"skill\": {\"name\": \""
            + skill
            + "\", \"config\": "
            + config
            + "}, \"capabilities\": [{\"name\": \""
            + capability
            + "\", \"proficiency\": 0.9}]}";
    HubProcess.Reply r = hub.call("POST", "/api/agents", body);
    assertEquals(201, r.status(), r.body());
  }

  static String task(HubProcess hub, String capability, long timeoutMs) throws Exception {
    HubProcess.Reply r =
        hub.call(
            "POST",
            "/api/tasks",
            "{\"title\": \"ask\", \"max_attempts\": 1, \"timeout_ms\": "
                + timeoutMs
                + ", \"required_capabilities\": [{\"name\": \""
                + capability
                + "\", \"minimum_proficiency\": 0.5}]}");
    assertEquals(201, r.status(), r.body());
    return r.json().path("id").asText();
  }

  static String awaitFailed(HubProcess hub, String id) {
    return Eventually.eventually(
        () -> {
          try {
            var t = hub.get("/api/tasks/" + id);
            return "failed".equals(t.path("status").asText())
                ? t.at("/result/error").asText()
                : null;
          } catch (Exception e) {
            return null;
          }
        },
        "task " + id + " failed",
        Duration.ofSeconds(120));
  }

  /** The hub's heap right after a full collection, read with the JDK's jcmd. */
  static double heapAfterGcMiB(long pid) throws Exception {
    jcmd(pid, "GC.run");
    Matcher m = Pattern.compile("used (\\d+)K").matcher(jcmd(pid, "GC.heap_info"));
    assertTrue(m.find(), "GC.heap_info names the heap in use");
    return Long.parseLong(m.group(1)) / 1024.0;
  }

  private static String jcmd(long pid, String command) throws Exception {
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid),
                command)
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "jcmd " + command);
    return out;
  }
}
