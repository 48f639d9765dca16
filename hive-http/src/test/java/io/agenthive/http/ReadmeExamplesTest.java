package io.agenthive.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code curl} line of the README, run as written by bash and curl against a fresh hub, in
 * the README's order: each call must answer 2xx, so the examples cannot rot. Placeholders ({@code
 * <id>}, {@code $ID}, ...) are filled with the ids the earlier lines' answers gave, or with tasks
 * and a workflow this test made for the purpose (what is cancelled must still be waiting); {@code
 * localhost:8080} becomes the test hub's port. The hub is started as the README says for its
 * examples (Ollama's address allowed, a dataset directory). Then the README's workflow, run on its
 * own agent, must complete.
 */
@Tag("needs-tools") // curl, which deploy/test-tools/install.sh installs
class ReadmeExamplesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A bash function in front of curl: every call's status and exit code, and its body, kept. */
  private static final String CURL =
      """
      curl() {
        local limit=10 a; for a in "$@"; do [ "$a" = -N ] && limit=2; done
        local body; body=$(mktemp)
        local code; code=$(command curl --max-time "$limit" -o "$body" -w '%{http_code}' "$@")
        local rc=$?
        printf '%s %s\\n' "$code" "$rc" >> calls.txt
        cat "$body" >> bodies.txt; rm -f "$body"
      }
      """;

  @TempDir Path root;

  @Test
  void everyCurlLineOfTheReadmeAnswersAsItSays() throws Exception {
    Path srv = Files.createDirectories(root.resolve("srv-data"));
    Files.writeString(srv.resolve("users.csv"), "id,name\n1,ada\n2,grace\n");
    Files.writeString(root.resolve("events.ndjson"), "{\"n\": 1}\n{\"n\": 2}\n");
    ApiTestHub hub =
        ApiTestHub.start(
            "ReadmeExamples",
            root.resolve("data"),
            "hive.skills.egress-allow = \"127.0.0.1/32,localhost\"\n"
                + "hive.datasets.allowed-dirs = \""
                + srv
                + "\"");
    try {
      Map<String, String> ids = new LinkedHashMap<>();
      ids.put("waiting-1", waitingTask(hub));
      ids.put("waiting-2", waitingTask(hub));
      ids.put("waiting-3", waitingTask(hub));
      ids.put("parent", waitingTask(hub)); // the README's subtask needs a parent that waits
      var wf =
          hub.http.post(
              "/api/workflows",
              "{\"name\": \"waits\", \"tasks\": [{\"name\": \"a\", \"title\": \"waits\","
                  + " \"required_capabilities\": [{\"name\": \"readme.nobody\"}]}]}");
      assertEquals(201, wf.status(), wf.body());
      ids.put("waiting-workflow", wf.json().get("id").asText());
      var approval =
          hub.http.post(
              "/api/tasks",
              "{\"kind\": \"approval\", \"prompt\": \"ok?\", \"approvers\": [\"role:admin\"]}");
      assertEquals(201, approval.status(), approval.body());
      ids.put("approval", approval.json().get("id").asText());
      var signalled =
          hub.http.post(
              "/api/workflows",
              "{\"name\": \"signalled\", \"tasks\": [{\"name\": \"gate\", \"kind\": \"wait\","
                  + " \"signal\": \"go\"}]}");
      assertEquals(201, signalled.status(), signalled.body());
      ids.put("signal-workflow", signalled.json().get("id").asText());
      String gate = signalled.json().at("/tasks/0/task_id").asText();
      hub.http.getUntil(
          "/api/tasks/" + gate,
          r -> r.json().get("status").asText().equals("waiting"),
          "the wait step waiting");
      List<String> assignments = new ArrayList<>();
      List<String> failures = new ArrayList<>();
      int calls = 0;
      for (ReadmeCommands.Command c : ReadmeCommands.read(Path.of("../README.md"))) {
        if (c.isAssignment()) {
          assignments.add(c.text());
          continue;
        }
        String command = filled(c.text(), ids, hub.http.port, srv);
        List<String[]> answers = run(String.join("\n", assignments) + "\n" + command);
        if (answers.isEmpty()) {
          failures.add("README line " + c.line() + " made no call: " + command);
        }
        for (String[] a : answers) {
          calls++;
          boolean streamCut = a[1].equals("28") && command.contains("curl -N");
          if (!a[0].startsWith("2") || !(a[1].equals("0") || streamCut)) {
            failures.add(
                "README line "
                    + c.line()
                    + " answered "
                    + a[0]
                    + " (curl exit "
                    + a[1]
                    + "): "
                    + command
                    + "\n  "
                    + (a[2].length() > 400 ? a[2].substring(0, 400) : a[2]));
          }
        }
        remember(command, answers, ids);
      }
      assertTrue(failures.isEmpty(), String.join("\n", failures));
      assertTrue(calls >= 30, "the README's curl lines were found: " + calls);
      assertTrue(ids.containsKey("workflow"), "the README's workflow was submitted");
      JsonNode workflow =
          hub.http
              .getUntil(
                  "/api/workflows/" + ids.get("workflow"),
                  r -> !r.json().get("status").asText().equals("running"),
                  "the README's workflow to end")
              .json();
      assertEquals("completed", workflow.get("status").asText(), workflow.toString());
    } finally {
      hub.stop();
    }
  }

  private static String waitingTask(ApiTestHub hub) throws Exception {
    var r =
        hub.http.post(
            "/api/tasks",
            "{\"title\": \"waits for the README\","
                + " \"required_capabilities\": [{\"name\": \"readme.nobody\"}]}");
    assertEquals(201, r.status(), r.body());
    return r.json().get("id").asText();
  }

  /** The README's placeholders, filled; the most specific patterns first. */
  private static String filled(String text, Map<String, String> ids, int port, Path srv) {
    String t =
        text.replace("localhost:8080", "localhost:" + port).replace("/srv/data", srv.toString());
    t =
        t.replace(
            "/api/workflows/<id>/cancel",
            "/api/workflows/" + ids.get("waiting-workflow") + "/cancel");
    t = t.replace("/api/tasks/<id>/cancel", "/api/tasks/" + ids.get("waiting-3") + "/cancel");
    t =
        t.replace(
            "[\"<id>\", \"<id>\"]",
            "[\"" + ids.get("waiting-1") + "\", \"" + ids.get("waiting-2") + "\"]");
    t = t.replace("\"parent_id\": \"<id>\"", "\"parent_id\": \"" + ids.get("parent") + "\"");
    t = t.replace("/api/tasks/<id>/children", "/api/tasks/" + ids.get("parent") + "/children");
    t = t.replace("<id-1>", ids.get("waiting-1")).replace("<id-2>", ids.get("waiting-2"));
    t = t.replace("<approval id>", ids.get("approval"));
    t = t.replace("<waiting workflow id>", ids.get("signal-workflow"));
    t = t.replace("/api/tasks/<id>", "/api/tasks/" + ids.get("task"));
    t = t.replace("/api/agents/<id>", "/api/agents/" + ids.get("agent"));
    t = t.replace("/api/workflows/<id>", "/api/workflows/" + ids.get("workflow"));
    t = t.replace("<agent id>", String.valueOf(ids.get("agent")));
    t = t.replace("<workflow id>", String.valueOf(ids.get("workflow")));
    return t.replace("$ID", String.valueOf(ids.get("dataset")));
  }

  /** The ids later lines need: the first agent and task made, the workflow, the upload. */
  private static void remember(String command, List<String[]> answers, Map<String, String> ids)
      throws Exception {
    if (answers.size() != 1 || !answers.get(0)[0].startsWith("2")) {
      return;
    }
    JsonNode body;
    try {
      body = JSON.readTree(answers.get(0)[2]);
    } catch (Exception notJson) {
      return;
    }
    String id = body == null || !body.hasNonNull("id") ? null : body.get("id").asText();
    if (id == null || !command.contains("POST")) {
      return;
    }
    if (command.contains("/api/tasks/upload")) {
      ids.putIfAbsent("dataset", id);
    } else if (command.matches("(?s).*/api/(agents|tasks|workflows) .*")) {
      String kind = command.replaceAll("(?s).*/api/(agents|tasks|workflows) .*", "$1");
      ids.putIfAbsent(kind.substring(0, kind.length() - 1), id);
    }
  }

  /** Runs one command in bash, in the directory holding {@code data/admin.key}. */
  private List<String[]> run(String script) throws Exception {
    Path calls = root.resolve("calls.txt");
    Path bodies = root.resolve("bodies.txt");
    Files.deleteIfExists(calls);
    Files.deleteIfExists(bodies);
    Process p =
        new ProcessBuilder("bash", "-c", CURL + script)
            .directory(root.toFile())
            .redirectErrorStream(true)
            .redirectOutput(root.resolve("bash.log").toFile())
            .start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "bash ended: " + script);
    List<String[]> out = new ArrayList<>();
    if (p.exitValue() != 0) {
      // a line bash could not run as written (a quote left open, a typo): its own failure
      out.add(
          new String[] {
            "bash", String.valueOf(p.exitValue()), Files.readString(root.resolve("bash.log"))
          });
    }
    if (!Files.exists(calls)) {
      return out;
    }
    String body = Files.exists(bodies) ? Files.readString(bodies, StandardCharsets.UTF_8) : "";
    for (String line : Files.readAllLines(calls)) {
      String[] parts = line.split(" ");
      out.add(new String[] {parts[0], parts[1], body});
    }
    return out;
  }
}
