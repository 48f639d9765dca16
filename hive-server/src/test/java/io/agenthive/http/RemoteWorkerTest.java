package io.agenthive.http;

import static io.agenthive.hive.HiveTestKit.*;
import static io.agenthive.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import io.agenthive.launcher.ChildJvm;
import io.agenthive.referenceworker.ReferenceWorker;
import io.agenthive.task.Priority;
import io.agenthive.task.Task;
import io.agenthive.task.TaskSpec;
import io.agenthive.task.TaskStatus;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Remote workers over {@code /ws/worker}, with the reference worker as a real WebSocket client on a
 * real port (and, for the crash, in its own process).
 */
class RemoteWorkerTest {
  static final String TOKEN = "test-worker-token";
  @TempDir static Path dataDir;
  static ApiTestHub hub;

  @BeforeAll
  static void start() throws Exception {
    hub =
        ApiTestHub.start(
            "remote-workers",
            dataDir,
            // a heartbeat timeout long enough that a worker thread starved on a loaded 2-core CI
            // machine is not dropped mid-test (3 s once was); the goodbyes of the sockets closed at
            // stop no longer hold up the hub's shutdown (see LoneNodeShutdown)
            """
        hive.http.workers { tokens = ["test-worker-token"], heartbeat-interval = 300ms,
          heartbeat-timeout = 6s, messages-per-second = 20, burst = 20 }
        hive.workers.grace-period = 1s
        """);
  }

  @AfterAll
  static void stop() {
    hub.stop();
  }

  static String url() {
    return "ws://127.0.0.1:" + hub.http.port + "/ws/worker";
  }

  static ReferenceWorker worker(String name, String capability, long workMs, String agentId) {
    return ReferenceWorker.connect(
        new ReferenceWorker.Options(
            url(), TOKEN, name, agentId, List.of(capability + "=0.8"), workMs));
  }

  static Task submitFor(String capability, String title) {
    return submit(
        hub.hive,
        new TaskSpec(
            title,
            "",
            "general",
            Priority.MEDIUM,
            List.of(needs(capability, 0.5)),
            com.fasterxml.jackson.databind.node.TextNode.valueOf("in:" + title),
            null,
            3,
            60_000L,
            null));
  }

  static long completions(String taskId) throws Exception {
    JsonNode history = hub.http.get("/api/tasks/" + taskId + "/history").json();
    long n = 0;
    for (JsonNode e : history.get("events")) {
      n += e.get("type").asText().equals("TaskCompleted") ? 1 : 0;
    }
    return n;
  }

  @Test
  void aWorkerRegistersAndCompletesTasks() throws Exception {
    try (ReferenceWorker w = worker("py-like", "rw.happy", 50, null)) {
      String agentId = w.agentId();
      Task done = awaitStatus(hub.hive, submitFor("rw.happy", "first").id(), TaskStatus.COMPLETED);
      assertEquals(agentId, done.assignedAgent());
      assertEquals("py-like", done.result().output().get("worker").asText());
      assertEquals("in:first", done.result().output().get("echo").asText());
      assertEquals(0.9, done.result().qualityScore(), 1e-9);
      JsonNode agent = hub.http.get("/api/agents/" + agentId).json();
      assertEquals("remote", agent.get("skill").asText());
    }
  }

  @Test
  void withoutAKnownTokenTheUpgradeIsRefusedWith401() throws Exception {
    var refused =
        ReferenceWorker.connect(
            new ReferenceWorker.Options(url(), "wrong", "x", null, List.of(), 10));
    assertThrows(Exception.class, refused::agentId, "no registration without a known token");
    var plain = hub.http.as(null).get("/ws/worker?token=wrong");
    assertEquals(401, plain.status(), plain.body());
    assertEquals("unauthorized", plain.json().at("/error/code").asText(plain.body()));
    var admin = hub.http.get("/ws/worker");
    assertEquals(403, admin.status(), "an admin key is no worker key: " + admin.body());
  }

  @Test
  void agentTypeDefaultsToWorkerAndASecondRegisterIsRefused() throws Exception {
    try (ReferenceWorker w = worker("typeless", "rw.typeless", 10, null)) {
      // the reference worker sends no agent_type
      assertEquals(
          "worker", hub.http.get("/api/agents/" + w.agentId()).json().get("type").asText());
      w.sendRaw("{\"type\":\"register\",\"name\":\"again\"}");
      eventually(
          () ->
              w.received().stream()
                      .anyMatch(f -> f.path("message").asText().contains("already registered"))
                  ? true
                  : null,
          "a second register refused");
    }
  }

  @Test
  void twoWorkersShareTheLoadByCapability() throws Exception {
    try (ReferenceWorker a = worker("share-a", "rw.share", 200, null);
        ReferenceWorker b = worker("share-b", "rw.share", 200, null);
        ReferenceWorker other = worker("share-other", "rw.other", 10, null)) {
      a.agentId();
      b.agentId();
      other.agentId();
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        ids.add(submitFor("rw.share", "share-" + i).id());
      }
      for (String id : ids) {
        awaitStatus(hub.hive, id, TaskStatus.COMPLETED);
      }
      assertTrue(
          a.completed() > 0 && b.completed() > 0,
          "both capable workers worked: " + a.completed() + " / " + b.completed());
      assertEquals(6, a.completed() + b.completed());
      assertEquals(0, other.completed(), "the worker without the capability got none");
    }
  }

  @Test
  void duplicateAndStaleResultsAreIgnored() throws Exception {
    try (ReferenceWorker w = worker("dup", "rw.dup", 30_000, null)) {
      w.agentId();
      Task task = submitFor("rw.dup", "dup");
      JsonNode offer =
          eventually(
              () ->
                  w.received().stream()
                      .filter(f -> f.path("type").asText().equals("task_assigned"))
                      .findFirst()
                      .orElse(null),
              "the task offered to the worker");
      String result =
          "{\"type\":\"result\",\"task_id\":\""
              + task.id()
              + "\",\"attempt\":"
              + offer.get("attempt").asInt()
              + ",\"output\":{\"n\":1}}";
      w.sendRaw(result);
      w.sendRaw(result.replace("\"n\":1", "\"n\":2"));
      w.sendRaw(
          "{\"type\":\"result\",\"task_id\":\""
              + task.id()
              + "\",\"attempt\":7,"
              + "\"output\":{\"n\":3}}");
      Task done = awaitStatus(hub.hive, task.id(), TaskStatus.COMPLETED);
      assertEquals(1, done.result().output().get("n").asInt(), "the first answer counts");
      long ignored =
          eventually(
              () -> {
                long n =
                    w.received().stream()
                        .filter(f -> f.path("type").asText().equals("ignored"))
                        .count();
                return n >= 2 ? n : null;
              },
              "the duplicate and the stale result to be answered with ignored");
      assertEquals(2, ignored);
      assertEquals(1, completions(task.id()));
    }
  }

  @Test
  void garbageGetsAnErrorFrameAndTheSocketStaysUsable() throws Exception {
    try (ReferenceWorker w = worker("garbage", "rw.garbage", 20, null)) {
      w.agentId();
      w.sendRaw("this is not json");
      w.sendRaw("{\"type\":\"teleport\"}");
      w.sendRaw("{\"type\":\"result\",\"task_id\":42}");
      eventually(
          () ->
              w.received().stream().filter(f -> f.path("type").asText().equals("error")).count()
                      >= 3
                  ? true
                  : null,
          "three error frames");
      Task done =
          awaitStatus(hub.hive, submitFor("rw.garbage", "after").id(), TaskStatus.COMPLETED);
      assertNotNull(done.result());
    }
  }

  @Test
  void aFloodingWorkerIsThrottledWithoutSlowingOthers() throws Exception {
    try (ReferenceWorker flood = worker("flood", "rw.flood", 10, null);
        ReferenceWorker calm = worker("calm", "rw.calm", 10, null)) {
      flood.agentId();
      calm.agentId();
      for (int i = 0; i < 2_000; i++) {
        flood.sendRaw("{\"type\":\"heartbeat\"}");
      }
      long start = System.nanoTime();
      awaitStatus(hub.hive, submitFor("rw.calm", "calm").id(), TaskStatus.COMPLETED);
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertTrue(ms < 3_000, "the calm worker's task took " + ms + " ms during the flood");
    }
  }

  @Test
  void reconnectingWithTheSameIdResumesTheAgent() throws Exception {
    String agentId;
    try (ReferenceWorker first = worker("comeback", "rw.back", 10, null)) {
      agentId = first.agentId();
      awaitStatus(hub.hive, submitFor("rw.back", "before").id(), TaskStatus.COMPLETED);
    }
    String id = agentId;
    hub.http.getUntil(
        "/api/agents/" + id,
        r -> r.json().get("state").asText().equals("disconnected"),
        "the agent disconnected when its socket closed");
    try (ReferenceWorker again = worker("comeback", "rw.back", 10, agentId)) {
      assertEquals(agentId, again.agentId());
      awaitStatus(hub.hive, submitFor("rw.back", "after").id(), TaskStatus.COMPLETED);
      JsonNode agent = hub.http.get("/api/agents/" + agentId).json();
      assertEquals(2, agent.at("/stats/tasks_completed").asInt(), "its stats carried over");
    }
  }

  @Test
  void aDroppedSocketShowsDisconnectedWithinASecondAndGetsNoNewTaskUntilBack() throws Exception {
    String agentId;
    try (ReferenceWorker first = worker("dropper", "rw.drop", 10, null)) {
      agentId = first.agentId();
    }
    long closedAt = System.nanoTime(); // close() returns once the close frame went out
    hub.http.getUntil(
        "/api/agents/" + agentId,
        r -> r.json().get("state").asText().equals("disconnected"),
        "the agent disconnected");
    long millis = (System.nanoTime() - closedAt) / 1_000_000;
    assertTrue(millis < 1000, "shown disconnected " + millis + " ms after its socket closed");

    Task waiting = submitFor("rw.drop", "while away");
    try (ReferenceWorker control = worker("control", "rw.control", 10, null)) {
      control.agentId();
      // the one matcher takes submissions in order: once the later one ran, the earlier one
      // was offered to whoever qualified, and the disconnected agent did not
      awaitStatus(hub.hive, submitFor("rw.control", "after it").id(), TaskStatus.COMPLETED);
      Task still = task(hub.hive, waiting.id());
      assertEquals(TaskStatus.PENDING, still.status(), "no task for a disconnected agent");
      assertNull(still.assignedAgent());
    }
    try (ReferenceWorker back = worker("dropper", "rw.drop", 10, agentId)) {
      assertEquals(agentId, back.agentId());
      Task done = awaitStatus(hub.hive, waiting.id(), TaskStatus.COMPLETED);
      assertEquals(agentId, done.assignedAgent(), "back, it takes the task that waited");
      assertEquals(1, done.attempts());
    }
  }

  @Test
  void killedWorkerProcessTaskIsRequeuedAndCompletedByAnotherExactlyOnce() throws Exception {
    List<String> cmd = ChildJvm.command();
    cmd.addAll(
        List.of(
            io.agenthive.launcher.Main.class.getName(),
            "worker",
            "--url",
            url(),
            "--token",
            TOKEN,
            "--name",
            "doomed",
            "--capability",
            "rw.crash=0.9",
            "--work-ms",
            "60000"));
    Process doomed = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    try {
      // the worker's first lines may be the hub's notes (a heartbeat answered while it
      // registers is "registration in progress"); its id comes on the "registered" line
      var out = new java.io.BufferedReader(new java.io.InputStreamReader(doomed.getInputStream()));
      String line = out.readLine();
      for (int i = 0; i < 20 && line != null && !line.startsWith("registered "); i++) {
        line = out.readLine();
      }
      assertTrue(line != null && line.startsWith("registered "), "worker said: " + line);
      String doomedId = line.substring("registered ".length());
      Task task = submitFor("rw.crash", "crash");
      eventually(
          () -> {
            Task t = task(hub.hive, task.id());
            return t.status() == TaskStatus.RUNNING && doomedId.equals(t.assignedAgent())
                ? t
                : null;
          },
          "the task running on the doomed worker");
      doomed.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      try (ReferenceWorker rescuer = worker("rescuer", "rw.crash", 10, null)) {
        rescuer.agentId();
        Task done = awaitStatus(hub.hive, task.id(), TaskStatus.COMPLETED);
        assertEquals("rescuer", done.result().output().get("worker").asText());
        assertEquals(2, done.attempts(), "the lost attempt was counted");
        assertEquals(1, completions(task.id()), "exactly one completion journaled");
      }
    } finally {
      doomed.destroyForcibly();
    }
  }
}
