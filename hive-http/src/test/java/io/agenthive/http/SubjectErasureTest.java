package io.agenthive.http;

import static io.agenthive.hive.HiveTestKit.agent;
import static io.agenthive.hive.HiveTestKit.cap;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agenthive.http.api.AuditFormat;
import io.agenthive.persistence.DatabaseSettings;
import io.agenthive.persistence.HiveEventFeed;
import io.agenthive.persistence.backup.BackupWriter;
import io.agenthive.testing.Eventually;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Erasure by crypto-shredding on a real hub: a task that names a subject keeps its input and output
 * out of the journal's bytes (sealed with the subject's key), reads them back as usual, and after
 * {@code DELETE /api/subjects/{id}} reads {@code "[erased]"} in the API (the entity rebuilt from
 * the journal), its history, the audit trail, time travel to before the erasure and an export;
 * other subjects' and unnamed tasks read as before, the journal still verifies, and the erased
 * subject is refused for new tasks.
 */
class SubjectErasureTest {
  static ApiTestHub hub;
  static final String ERASED = "\"[erased]\"";
  static final String NEEDS =
      "\"required_capabilities\": [{\"name\": \"analyse\", \"minimum_proficiency\": 0.1}]";

  @BeforeAll
  static void start() throws Exception {
    hub =
        ApiTestHub.start(
            "SubjectErasureTest", Files.createTempDirectory("subject-erasure-test"), "");
    agent(hub.hive, "analyst", "text-analysis", cap("analyse", 0.8));
  }

  @AfterAll
  static void stop() {
    hub.stop();
  }

  @Test
  void anErasedSubjectsPayloadsReadAsErasedEverywhereAndNothingElseChanges() throws Exception {
    String quimby = submit("customer-17", "Quimby");
    String ostrander = submit("customer-18", "Ostrander");
    String pemberton = submit(null, "Pemberton");
    for (String id : new String[] {quimby, ostrander, pemberton}) {
      hub.http.getUntil(
          "/api/tasks/" + id, r -> r.json().path("status").asText().equals("completed"), id);
    }
    JsonNode before = hub.http.get("/api/tasks/" + quimby).json();
    assertEquals("customer-17", before.path("subject").asText());
    assertTrue(before.path("input").toString().contains("Quimby"), before.toString());
    assertTrue(before.path("result").path("output").toString().contains("quimby"), "" + before);
    // at rest the named subjects' payloads are sealed; the unnamed task's are plain
    String journal = journalText();
    assertFalse(journal.contains("Quimby"), "customer-17's input is not in the journal's bytes");
    assertFalse(journal.contains("Ostrander"), "customer-18's input is not either");
    assertTrue(journal.contains("Pemberton"), "an unnamed task's input is, as before");
    Instant beforeErasure = Instant.now();

    var erased = hub.http.method("DELETE", "/api/subjects/customer-17");
    assertEquals(200, erased.status(), erased.body());
    assertTrue(erased.json().path("erased_now").asBoolean(), erased.body());
    assertEquals(1, erased.json().path("tasks").asInt(), erased.body());
    var again = hub.http.method("DELETE", "/api/subjects/customer-17");
    assertFalse(again.json().path("erased_now").asBoolean(), again.body());
    assertEquals(erased.json().path("erased_at"), again.json().path("erased_at"));

    // the task's entity left memory: rebuilt from the journal, its payloads read as erased
    JsonNode after =
        hub.http
            .getUntil(
                "/api/tasks/" + quimby,
                r -> r.json().path("input").toString().equals(ERASED),
                "the erased task's input")
            .json();
    assertEquals(ERASED, after.path("result").path("output").toString(), after.toString());
    assertEquals("completed", after.path("status").asText(), "its history stays");
    assertEquals(1, after.path("attempts").asInt());
    assertFalse(hub.http.get("/api/tasks/" + quimby + "/history").body().contains("Quimby"));
    assertTrue(hub.http.get("/api/tasks/" + ostrander).body().contains("Ostrander"));
    assertTrue(hub.http.get("/api/tasks/" + ostrander + "/history").body().contains("Ostrander"));
    assertTrue(hub.http.get("/api/tasks/" + pemberton).body().contains("Pemberton"));
    // the list answers from each row's stored rendering: the erased row's was rendered again
    String listed = hub.http.get("/api/tasks?limit=100").body();
    assertFalse(listed.contains("Quimby"), "the task list");
    assertTrue(listed.contains("Ostrander") && listed.contains(ERASED), "the others, listed");

    // the live event stream, replayed from its start: the task's events, erased
    String live =
        Eventually.eventually(
            () -> {
              String f =
                  hub.http.sse(
                      "/api/events?since=0&entity_kind=task&entity_id=" + quimby,
                      Duration.ofSeconds(1));
              return f.contains("TaskCompleted") ? f : null;
            },
            "the erased task's events in /api/events");
    assertFalse(live.contains("Quimby"), "/api/events");
    assertTrue(live.contains(ERASED), live);

    String audit = hub.http.get("/api/audit/events?entity_kind=task").body();
    assertFalse(audit.contains("Quimby"), "the audit trail");
    assertTrue(audit.contains("Ostrander") && audit.contains("Pemberton"), "the others' events");
    assertTrue(audit.contains(ERASED), "the erased task's events are there, erased");
    String erasure = hub.http.get("/api/audit/events?type=SubjectErased").body();
    assertTrue(erasure.contains("customer-17"), "the erasure is journaled: " + erasure);

    String state = hub.http.get("/api/hive/state?at=" + beforeErasure).body();
    assertFalse(state.contains("Quimby"), "time travel to before the erasure");
    assertTrue(state.contains("Ostrander"), "time travel shows the others");

    String events = eventExport();
    assertFalse(events.contains("Quimby"), "the event export (./hive export)");
    assertTrue(
        events.contains(ERASED) && events.contains("Ostrander"), "the others read as before");
    String backup = backupText();
    assertFalse(backup.contains("Quimby"), "the backup (./hive export --backup)");
    assertTrue(backup.contains("Pemberton"), "the backup holds the unnamed task's input");

    String verified = hub.http.get("/api/audit/verify").body().strip();
    JsonNode last = new ObjectMapper().readTree(verified.substring(verified.lastIndexOf('\n') + 1));
    assertTrue(last.path("intact").asBoolean(), "the chain is intact: " + last);

    var refused =
        hub.http.post(
            "/api/tasks",
            "{\"title\": \"more\", \"subject\": \"customer-17\", \"input\": \"x\", " + NEEDS + "}");
    assertEquals(400, refused.status(), refused.body());
    assertEquals(
        "subject", refused.json().at("/error/field_errors/0/field").asText(), refused.body());
  }

  @Test
  void aTaskInMemoryLeavesItAndWhatItWritesLaterIsErased() throws Exception {
    var waiting =
        hub.http.post(
            "/api/tasks",
            "{\"title\": \"waits\", \"subject\": \"customer-19\", \"input\": \"Wolfgang's file\","
                + " \"required_capabilities\": [{\"name\": \"nobody.has.this\"}]}");
    assertEquals(201, waiting.status(), waiting.body());
    String id = waiting.json().path("id").asText();
    // at once: the erasure waits for the read side to know the task, then finds it
    var erased = hub.http.method("DELETE", "/api/subjects/customer-19");
    assertEquals(200, erased.status(), erased.body());
    assertEquals(1, erased.json().path("tasks").asInt(), erased.body());
    hub.http.getUntil(
        "/api/tasks/" + id,
        r -> r.json().path("input").toString().equals(ERASED),
        "the waiting task, rebuilt, its input erased");
    var cancelled = hub.http.post("/api/tasks/" + id + "/cancel", "{\"reason\": \"done\"}");
    assertEquals(200, cancelled.status(), cancelled.body());
    JsonNode after = hub.http.get("/api/tasks/" + id).json();
    assertEquals("cancelled", after.path("status").asText(), after.toString());
    assertEquals(ERASED, after.path("input").toString());
    assertFalse(hub.http.get("/api/tasks/" + id + "/history").body().contains("Wolfgang"));
  }

  @Test
  void aSubtaskTakesItsParentsSubjectAndABadSubjectIsRefused() throws Exception {
    var parent =
        hub.http.post(
            "/api/tasks",
            "{\"title\": \"waits\", \"subject\": \"customer-40\", \"required_capabilities\":"
                + " [{\"name\": \"nobody.has.this\"}]}");
    assertEquals(201, parent.status(), parent.body());
    String parentId = parent.json().path("id").asText();
    var child =
        hub.http.post(
            "/api/tasks",
            "{\"title\": \"child\", \"parent_id\": \"" + parentId + "\", " + NEEDS + "}");
    assertEquals(201, child.status(), child.body());
    assertEquals("customer-40", child.json().path("subject").asText(), child.body());

    var bad = hub.http.post("/api/tasks", "{\"title\": \"t\", \"subject\": \"Jane Doe\"}");
    assertEquals(400, bad.status(), bad.body());
    assertEquals("subject", bad.json().at("/error/field_errors/0/field").asText(), bad.body());
    var badPath = hub.http.method("DELETE", "/api/subjects/%20x");
    assertEquals(400, badPath.status(), badPath.body());

    // a workflow's and a schedule's own events hold their tasks' input: no subject there
    var step =
        hub.http.post(
            "/api/workflows",
            "{\"name\": \"w\", \"tasks\": [{\"name\": \"a\", \"title\": \"a\","
                + " \"subject\": \"customer-41\"}]}");
    assertEquals(400, step.status(), step.body());
    assertTrue(step.body().contains("tasks[0].subject"), step.body());
    var slot =
        hub.http.post(
            "/api/schedules",
            "{\"name\": \"s\", \"every\": \"1h\", \"task\": {\"title\": \"t\","
                + " \"subject\": \"customer-41\"}}");
    assertEquals(400, slot.status(), slot.body());
    assertTrue(slot.body().contains("task.subject"), slot.body());
  }

  private static String submit(String subject, String name) throws Exception {
    String text = name + " met " + name + " at the market. " + name + " bought apples.";
    var created =
        hub.http.post(
            "/api/tasks",
            "{\"title\": \"about someone\", "
                + (subject == null ? "" : "\"subject\": \"" + subject + "\", ")
                + "\"input\": {\"text\": \""
                + text
                + "\"}, "
                + NEEDS
                + "}");
    assertEquals(201, created.status(), created.body());
    return created.json().path("id").asText();
  }

  /** Every journal row's bytes, as text (CBOR keeps strings as UTF-8). */
  private static String journalText() throws Exception {
    StringBuilder all = new StringBuilder();
    try (Connection c = database().connect();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT \"event_payload\" FROM \"event_journal\"")) {
      while (rs.next()) {
        all.append(new String(rs.getBytes(1), StandardCharsets.UTF_8)).append('\n');
      }
    }
    return all.toString();
  }

  /** The event export, as {@code ./hive export} writes it: every event, opened, as NDJSON. */
  private static String eventExport() throws Exception {
    HiveEventFeed feed = new HiveEventFeed(hub.kit.system());
    return feed.after(0, false)
        .map(e -> new String(AuditFormat.ndjsonLine(e), StandardCharsets.UTF_8))
        .runFold(new StringBuilder(), StringBuilder::append, hub.kit.system())
        .toCompletableFuture()
        .get(30, TimeUnit.SECONDS)
        .toString();
  }

  /** A backup, as {@code ./hive export --backup} writes it, its rows' bytes decoded. */
  private static String backupText() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    DatabaseSettings db = database();
    try (Connection c = db.connect()) {
      BackupWriter.write(c, db.kind(), hub.security.hubTokens().journalSigner(), out);
    }
    StringBuilder text = new StringBuilder(out.toString(StandardCharsets.UTF_8));
    for (String token : text.toString().split("\"")) {
      if (token.length() > 40 && token.matches("[A-Za-z0-9+/=]+")) {
        text.append(new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8));
      }
    }
    return text.toString();
  }

  private static DatabaseSettings database() {
    return DatabaseSettings.from(hub.kit.system().settings().config());
  }
}
