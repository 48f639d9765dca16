package io.agenthive.launcher;

import static io.agenthive.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A schedule survives {@code kill -9}: the real launcher runs an {@code every: 2s} schedule with
 * {@code catch_up: all}, is killed with SIGKILL after a few slots, stays down for some slots and is
 * started again on the same H2 file. Every slot from the first to the last fires, the ones that
 * passed while the hub was down included, and the journal holds exactly one task per slot. Then the
 * schedule is paused for some slots and resumed: those slots are never fired.
 */
class ScheduleKillNineTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Duration EVERY = Duration.ofSeconds(2);
  @TempDir Path dataDir;
  private final HttpClient client = HttpClient.newHttpClient();
  private Process hub;
  private int port;
  private int starts;

  @AfterEach
  void stopHub() throws Exception {
    if (hub != null) {
      hub.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
  }

  private void startHub() throws Exception {
    starts++;
    Path log = dataDir.resolve("hub-" + starts + ".log");
    List<String> cmd = ChildJvm.command("-Xmx384m");
    cmd.addAll(List.of("io.agenthive.launcher.Main", "serve"));
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("HIVE_DATA_DIR", dataDir.toString());
    pb.environment().put("HIVE_HTTP_PORT", String.valueOf(port));
    hub = pb.start();
    eventually(
        () -> {
          String text = Files.exists(log) ? Files.readString(log) : "";
          if (!hub.isAlive()) {
            throw new AssertionError("the hub stopped while starting:\n" + text);
          }
          return text.contains("ready on http") ? Boolean.TRUE : null;
        },
        "the hub ready (" + log + ")",
        Duration.ofSeconds(90));
  }

  private JsonNode call(String method, String path, String body) throws Exception {
    String key = Files.readString(dataDir.resolve("admin.key")).trim();
    HttpResponse<String> r =
        client.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .method(
                    method,
                    body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertTrue(r.statusCode() < 300, method + " " + path + ": " + r.statusCode() + " " + r.body());
    return JSON.readTree(r.body());
  }

  /** The fired slots in the schedule's history, or null while the hub does not answer. */
  private TreeSet<Instant> fired() {
    try {
      TreeSet<Instant> slots = new TreeSet<>();
      for (JsonNode h : call("GET", "/api/schedules/tick/history", null).get("items")) {
        if (h.get("outcome").asText().equals("fired")) {
          assertTrue(slots.add(Instant.parse(h.get("slot").asText())), "fired twice: " + h);
        }
      }
      return slots;
    } catch (Exception e) {
      return null; // not answering yet: ask again
    }
  }

  private TreeSet<Instant> firedAfter(Instant t, int atLeast, String what) {
    return eventually(
        () -> {
          TreeSet<Instant> s = fired();
          return s != null && s.tailSet(t, false).size() >= atLeast ? s : null;
        },
        what,
        Duration.ofSeconds(90));
  }

  /** Waits for wall-clock slots to pass (what is waited for is time itself). */
  private static void letSlotsPass(int slots) {
    Instant until = Instant.now().plus(EVERY.multipliedBy(slots));
    eventually(() -> Instant.now().isAfter(until) ? true : null, slots + " slots to pass");
  }

  @Test
  void everySlotFiresOnceAcrossAKillNineAndNoneWhilePaused() throws Exception {
    Assumptions.assumeFalse(io.agenthive.persistence.TestDatabase.postgres());
    port = TestPorts.free();
    startHub();
    // nobody has the capability: the tasks wait in the queue, overlap queue submits each anyway
    call(
        "POST",
        "/api/schedules",
        "{\"name\": \"tick\", \"every\": \"2s\", \"overlap\": \"queue\", \"catch_up\": \"all\","
            + " \"catch_up_window\": \"1h\", \"task\": {\"title\": \"tick\","
            + " \"required_capabilities\": [{\"name\": \"sched.nobody\"}]}}");
    firedAfter(Instant.EPOCH, 3, "three slots fired");
    hub.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no flush
    assertTrue(hub.waitFor(30, TimeUnit.SECONDS));
    Instant killed = Instant.now();
    letSlotsPass(3);

    startHub();
    Instant restarted = Instant.now();
    TreeSet<Instant> afterRestart = firedAfter(restarted, 2, "slots fired after the restart");
    assertTrue(
        afterRestart.subSet(killed, true, restarted, false).size() >= 3,
        "the slots while the hub was down were caught up: " + afterRestart);

    Instant pausing = Instant.now();
    JsonNode paused = call("POST", "/api/schedules/tick/pause", "{}");
    Instant pausedBy = Instant.now();
    assertTrue(paused.get("paused").asBoolean());
    letSlotsPass(3);
    Instant resuming = Instant.now();
    call("POST", "/api/schedules/tick/resume", "{}");
    TreeSet<Instant> end = firedAfter(resuming, 2, "slots fired after the resume");

    assertTrue(
        end.subSet(pausedBy, false, resuming, false).isEmpty(),
        "no slot of the pause was fired: " + end);
    // every slot from the first to the pause fired: none lost to the kill
    Instant first = end.first();
    for (Instant s = first; s.isBefore(pausing.minus(EVERY)); s = s.plus(EVERY)) {
      assertTrue(end.contains(s), "slot " + s + " fired; fired: " + end);
    }
    hub.destroy();
    assertTrue(hub.waitFor(60, TimeUnit.SECONDS));
    hub = null;
    assertOneTaskPerSlot(end);
  }

  /** The journal: one submitted task per fired slot, each task submitted once. */
  private void assertOneTaskPerSlot(TreeSet<Instant> slots) throws Exception {
    try (Connection c =
            DriverManager.getConnection(
                "jdbc:h2:file:" + dataDir.resolve("hive") + ";ACCESS_MODE_DATA=r", "sa", "");
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT \"persistence_id\", COUNT(*) FROM \"event_journal\""
                    + " WHERE \"event_ser_manifest\" LIKE '%TaskSubmitted'"
                    + " GROUP BY \"persistence_id\"")) {
      Set<String> tasks = new HashSet<>();
      while (rs.next()) {
        assertEquals(1, rs.getLong(2), "one submission for " + rs.getString(1));
        tasks.add(rs.getString(1));
      }
      // history holds every fired slot here (fewer than its 100 lines), and the tasks are theirs
      assertEquals(slots.size(), tasks.size(), "one task per fired slot: " + slots);
    }
  }
}
