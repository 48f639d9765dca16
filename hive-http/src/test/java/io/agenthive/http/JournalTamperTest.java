package io.agenthive.http;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import io.agenthive.http.json.Json;
import io.agenthive.persistence.DatabaseSettings;
import io.agenthive.persistence.audit.JournalAudit;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal proves it was not altered: after real traffic and a signed checkpoint, {@code GET
 * /api/audit/verify} says intact; then each attack, made by SQL on the hub's own database (one byte
 * of a payload changed, a row deleted, a forged row inserted, two rows' contents swapped, a
 * checkpoint's signature changed), is named with the right entity and offset, and once undone the
 * journal verifies again. Runs on H2 here and on PostgreSQL in CI's postgres stage.
 */
class JournalTamperTest {
  @TempDir static Path dataDir;
  static ApiTestHub hub;
  static HttpTestClient http;
  static DatabaseSettings db;

  /** A journal row as the attacks pick it: its offset, entity and sequence number. */
  record Row(long offset, String entity, long seq) {}

  @BeforeAll
  static void start() throws Exception {
    // checkpoints only when the test asks, over every event written so far
    hub =
        ApiTestHub.start(
            "JournalTamperTest",
            dataDir,
            "hive.audit { checkpoint-interval = 1h, checkpoint-lag = 0s }");
    http = hub.http;
    db = DatabaseSettings.from(hub.kit.system().settings().config());
    var agent =
        http.post(
            "/api/agents",
            "{\"name\": \"tamper-a\", \"type\": \"worker\", \"skill\": \"noop\","
                + " \"capabilities\": [{\"name\": \"tamper\", \"proficiency\": 0.9}]}");
    assertEquals(201, agent.status(), agent.body());
    List<String> tasks = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      var t =
          http.post(
              "/api/tasks",
              "{\"title\": \"tamper "
                  + i
                  + "\", \"required_capabilities\": [{\"name\": \"tamper\"}]}");
      assertEquals(201, t.status(), t.body());
      tasks.add(t.json().path("id").asText());
    }
    for (String id : tasks) {
      http.getUntil(
          "/api/tasks/" + id,
          r -> "completed".equals(r.json().path("status").asText()),
          id + " completed");
    }
    assertNotNull(
        JournalAudit.start(hub.kit.system(), db::connect, hub.security.hubTokens().journalSigner())
            .checkpoint()
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS),
        "a checkpoint over the run");
  }

  @AfterAll
  static void stop() {
    hub.stop();
  }

  @Test
  void anUntouchedJournalVerifiesAndEachAttackIsNamed() throws Exception {
    JsonNode intact = verify();
    assertTrue(intact.path("intact").asBoolean(), intact.toString());
    assertTrue(intact.path("events").asLong() >= 12 * 3, intact.toString());
    assertEquals(1, intact.path("checkpoints").asLong(), intact.toString());
    assertTrue(
        intact.path("summary").asText().startsWith("The journal is intact"), intact.toString());

    List<Row> middle = middleEvents();
    Row edited = middle.get(0);
    Row other = middle.get(1);
    try (Connection c = connect()) {
      // one byte of one payload
      byte[] original = payload(c, edited.offset());
      byte[] changed = original.clone();
      changed[changed.length / 2] ^= 1;
      setPayload(c, edited.offset(), changed);
      assertFirstBreak(verify(), "altered", edited);
      setPayload(c, edited.offset(), original);
      assertTrue(verify().path("intact").asBoolean(), "intact once the byte is back");

      // two rows swapped: two tasks' second events trade payloads
      byte[] otherPayload = payload(c, other.offset());
      setPayload(c, edited.offset(), otherPayload);
      setPayload(c, other.offset(), original);
      JsonNode swapped = verify();
      assertFirstBreak(swapped, "altered", edited);
      assertHasBreak(swapped, "altered", other);
      setPayload(c, edited.offset(), original);
      setPayload(c, other.offset(), otherPayload);
      assertTrue(verify().path("intact").asBoolean(), "intact once swapped back");

      // one row deleted (its tags go with it: the table's foreign key)
      Object[] saved = journalRow(c, edited.offset());
      List<String> tags = tags(c, edited.offset());
      exec(c, "DELETE FROM \"event_journal\" WHERE \"ordering\" = " + edited.offset());
      JsonNode deleted = verify();
      // named by the gap it left in its entity (found at the offset after it), and by the
      // checkpoint whose count it changed
      JsonNode gap = deleted.path("breaks").get(0);
      assertEquals("missing", gap.path("kind").asText(), deleted.toString());
      assertEquals(edited.entity(), gap.path("entity").asText(), deleted.toString());
      assertEquals(edited.seq(), gap.path("sequence_nr").asLong(), deleted.toString());
      assertTrue(gap.path("offset").asLong() > edited.offset(), deleted.toString());
      assertHasBreak(deleted, "checkpoint", null);
      restore(c, saved, tags);
      assertTrue(verify().path("intact").asBoolean(), "intact once the row is back");

      // the same row deleted under a tombstone written by hand (its hash copied from the row), so
      // that its entity's chain and the checkpoint still add up: the hub never signed it
      exec(
          c,
          "INSERT INTO hive_event_tombstone (persistence_id, sequence_number, ordering, hash)"
              + " SELECT \"persistence_id\", \"sequence_number\", \"ordering\", \"hive_hash\""
              + " FROM \"event_journal\" WHERE \"ordering\" = "
              + edited.offset());
      exec(c, "DELETE FROM \"event_journal\" WHERE \"ordering\" = " + edited.offset());
      JsonNode covered = verify();
      assertFirstBreak(covered, "tombstone", edited);
      assertEquals(1, covered.path("break_count").asLong(), covered.toString());
      restore(c, saved, tags);
      exec(c, "DELETE FROM hive_event_tombstone WHERE ordering = " + edited.offset());
      assertTrue(verify().path("intact").asBoolean(), "intact once the row is back, untombed");

      // a forged row, a copy of a real event for an entity that never was
      saved[1] = "Task|forged";
      saved[2] = 1L;
      saved[10] = null; // no hash: the attacker's INSERT names the plugin's columns
      saved[11] = new java.sql.Timestamp(System.currentTimeMillis());
      long forged = insertAsNew(c, saved);
      JsonNode inserted = verify();
      assertFirstBreak(inserted, "unhashed", new Row(forged, "Task|forged", 1));
      exec(c, "DELETE FROM \"event_journal\" WHERE \"ordering\" = " + forged);
      assertTrue(verify().path("intact").asBoolean(), "intact once the forged row is gone");

      // a checkpoint whose signature was changed
      byte[] signature = checkpointSignature(c);
      byte[] bad = signature.clone();
      bad[bad.length - 1] ^= 1;
      setCheckpointSignature(c, bad);
      JsonNode unsigned = verify();
      assertEquals("checkpoint", unsigned.path("breaks").get(0).path("kind").asText());
      assertTrue(
          unsigned.path("breaks").get(0).path("detail").asText().contains("bad signature"),
          unsigned.toString());
      setCheckpointSignature(c, signature);
    }
    assertTrue(verify().path("intact").asBoolean(), "intact at the end");
  }

  @Test
  void onlyAnAdminMayVerify() throws Exception {
    var viewer = http.post("/api/keys", "{\"name\": \"tamper-viewer\", \"role\": \"viewer\"}");
    assertEquals(201, viewer.status(), viewer.body());
    var r = http.as(viewer.json().path("key").asText()).get("/api/audit/verify");
    assertEquals(403, r.status(), r.body());
  }

  /** The last line of the NDJSON answer: the result (the lines before it are progress). */
  private static JsonNode verify() throws Exception {
    var r = http.get("/api/audit/verify");
    assertEquals(200, r.status(), r.body());
    String[] lines = r.body().strip().split("\n");
    return Json.MAPPER.readTree(lines[lines.length - 1]);
  }

  private static void assertFirstBreak(JsonNode result, String kind, Row row) {
    assertFalse(result.path("intact").asBoolean(), result.toString());
    JsonNode first = result.path("breaks").get(0);
    assertEquals(kind, first.path("kind").asText(), result.toString());
    assertEquals(row.entity(), first.path("entity").asText(), result.toString());
    assertEquals(row.seq(), first.path("sequence_nr").asLong(), result.toString());
    assertEquals(row.offset(), first.path("offset").asLong(), result.toString());
    assertTrue(
        result.path("summary").asText().startsWith("The journal was altered"), result.toString());
  }

  private static void assertHasBreak(JsonNode result, String kind, Row row) {
    for (JsonNode b : result.path("breaks")) {
      if (b.path("kind").asText().equals(kind)
          && (row == null
              || (b.path("entity").asText().equals(row.entity())
                  && b.path("offset").asLong() == row.offset()))) {
        return;
      }
    }
    fail("no " + kind + " break" + (row == null ? "" : " at " + row) + " in " + result);
  }

  /** Events with a successor in their entity (sequence number 2 of tasks), oldest first. */
  private static List<Row> middleEvents() throws Exception {
    List<Row> rows = new ArrayList<>();
    try (Connection c = connect();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT \"ordering\", \"persistence_id\", \"sequence_number\" FROM"
                    + " \"event_journal\" WHERE \"persistence_id\" LIKE 'Task|%' AND"
                    + " \"sequence_number\" = 2 ORDER BY \"ordering\"")) {
      while (rs.next()) {
        rows.add(new Row(rs.getLong(1), rs.getString(2), rs.getLong(3)));
      }
    }
    assertTrue(rows.size() >= 2, "two tasks' second events: " + rows);
    return rows;
  }

  private static Connection connect() throws Exception {
    return DriverManager.getConnection(db.url(), db.user(), db.password());
  }

  private static void exec(Connection c, String sql) throws Exception {
    try (Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }

  private static byte[] payload(Connection c, long offset) throws Exception {
    return (byte[]) journalRow(c, offset)[7];
  }

  private static void setPayload(Connection c, long offset, byte[] payload) throws Exception {
    try (PreparedStatement st =
        c.prepareStatement(
            "UPDATE \"event_journal\" SET \"event_payload\" = ? WHERE \"ordering\" = ?")) {
      st.setBytes(1, payload);
      st.setLong(2, offset);
      assertEquals(1, st.executeUpdate());
    }
  }

  private static final String COLUMNS =
      "\"ordering\", \"persistence_id\", \"sequence_number\", \"deleted\", \"writer\","
          + " \"write_timestamp\", \"adapter_manifest\", \"event_payload\", \"event_ser_id\","
          + " \"event_ser_manifest\", \"hive_hash\", \"hive_written_at\"";

  private static Object[] journalRow(Connection c, long offset) throws Exception {
    try (PreparedStatement st =
        c.prepareStatement(
            "SELECT " + COLUMNS + " FROM \"event_journal\" WHERE \"ordering\" = ?")) {
      st.setLong(1, offset);
      try (ResultSet rs = st.executeQuery()) {
        assertTrue(rs.next(), "row at " + offset);
        Object[] row = new Object[12];
        for (int i = 0; i < row.length; i++) {
          row[i] = rs.getObject(i + 1);
        }
        row[7] = rs.getBytes(8);
        row[10] = rs.getBytes(11);
        return row;
      }
    }
  }

  private static List<String> tags(Connection c, long offset) throws Exception {
    List<String> tags = new ArrayList<>();
    try (PreparedStatement st =
        c.prepareStatement("SELECT \"tag\" FROM \"event_tag\" WHERE \"event_id\" = ?")) {
      st.setLong(1, offset);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          tags.add(rs.getString(1));
        }
      }
    }
    return tags;
  }

  private static void restore(Connection c, Object[] row, List<String> tags) throws Exception {
    try (PreparedStatement st =
        c.prepareStatement(
            "INSERT INTO \"event_journal\" ("
                + COLUMNS
                + ") VALUES ("
                + String.join(", ", java.util.Collections.nCopies(row.length, "?"))
                + ")")) {
      for (int i = 0; i < row.length; i++) {
        st.setObject(i + 1, row[i]);
      }
      st.executeUpdate();
    }
    for (String tag : tags) {
      try (PreparedStatement st =
          c.prepareStatement("INSERT INTO \"event_tag\" (\"event_id\", \"tag\") VALUES (?, ?)")) {
        st.setLong(1, (Long) row[0]);
        st.setString(2, tag);
        st.executeUpdate();
      }
    }
  }

  /** Inserts the row without its ordering, as an attacker's INSERT would; returns the new one. */
  private static long insertAsNew(Connection c, Object[] row) throws Exception {
    String columns = COLUMNS.substring(COLUMNS.indexOf(',') + 1);
    try (PreparedStatement st =
        c.prepareStatement(
            "INSERT INTO \"event_journal\" ("
                + columns
                + ") VALUES ("
                + String.join(", ", java.util.Collections.nCopies(row.length - 1, "?"))
                + ")",
            new String[] {"ordering"})) {
      for (int i = 1; i < row.length; i++) {
        st.setObject(i, row[i]);
      }
      st.executeUpdate();
      try (ResultSet keys = st.getGeneratedKeys()) {
        assertTrue(keys.next());
        return keys.getLong(1);
      }
    }
  }

  private static byte[] checkpointSignature(Connection c) throws Exception {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT signature FROM hive_journal_checkpoint")) {
      assertTrue(rs.next());
      return rs.getBytes(1);
    }
  }

  private static void setCheckpointSignature(Connection c, byte[] signature) throws Exception {
    try (PreparedStatement st =
        c.prepareStatement("UPDATE hive_journal_checkpoint SET signature = ?")) {
      st.setBytes(1, signature);
      st.executeUpdate();
    }
  }
}
