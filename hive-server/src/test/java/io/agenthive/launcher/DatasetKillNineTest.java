package io.agenthive.launcher;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agenthive.testing.Eventually;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import java.util.function.Predicate;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hub ({@code ./hive serve} in its own JVM) is SIGKILLed in the middle of an uploaded dataset
 * task; a new hub on the same data resumes the task from its last checkpoint (reading the upload
 * from the database, cutting the result back to the checkpoint) and finishes it with every chunk in
 * the result once, in order, and one completion per chunk task in the journal.
 */
class DatasetKillNineTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;
  private final HttpClient http = HttpClient.newHttpClient();

  private Process serve(Path log, int port) throws Exception {
    List<String> cmd = ChildJvm.command("-Xmx512m", "-Dakka.loglevel=WARNING");
    cmd.addAll(List.of("io.agenthive.launcher.Main", "serve"));
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("HIVE_DATA_DIR", dir.resolve("data").toString());
    pb.environment().put("HIVE_HTTP_PORT", Integer.toString(port));
    pb.environment().put("HIVE_DATASET_WORK_DIR", dir.resolve("work").toString());
    Process p = pb.start();
    await(
        () -> Files.readString(log).contains("ready on http://127.0.0.1:" + port),
        Duration.ofSeconds(90),
        "the hub to start:\n" + log);
    return p;
  }

  private JsonNode call(String method, String url, String body) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", "application/json")
            .header("Authorization", bearer())
            .timeout(Duration.ofSeconds(20));
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    return JSON.readTree(http.send(b.build(), HttpResponse.BodyHandlers.ofString()).body());
  }

  /** The admin key the hub made on its first start, as a first-time user would use it. */
  private String bearer() throws Exception {
    return "Bearer " + Files.readString(dir.resolve("data").resolve("admin.key")).trim();
  }

  private static void await(Eventually.Probe<Boolean> check, Duration timeout, String what) {
    Eventually.until(check, Boolean.TRUE::equals, what, timeout);
  }

  @Test
  void aDatasetTaskResumesFromItsCheckpointAfterKillMinus9() throws Exception {
    Assumptions.assumeFalse(io.agenthive.persistence.TestDatabase.postgres());
    Files.createDirectories(dir.resolve("in"));
    StringBuilder text = new StringBuilder();
    for (int n = 1; n <= 200_000; n++) {
      text.append("{\"n\":").append(n).append(",\"pad\":\"").append("k".repeat(20)).append("\"}\n");
    }
    Path input = Files.writeString(dir.resolve("in").resolve("kill.ndjson"), text.toString());
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String base = "http://127.0.0.1:" + port;
    Process first = serve(dir.resolve("first.log"), port);
    for (int i = 0; i < 2; i++) {
      call(
          "POST",
          base + "/api/agents",
          "{\"name\":\"k"
              + i
              + "\",\"type\":\"worker\","
              + "\"skill\":\"noop\",\"capabilities\":[{\"name\":\"kill\",\"proficiency\":0.9}]}");
    }
    // uploaded: the input is a blob in the hub's database, read again by the second hub
    HttpResponse<String> uploaded =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        base
                            + "/api/tasks/upload?title=survive+kill+-9&capability=kill"
                            + "&chunk_bytes=65536&parallelism=2"))
                .header("Content-Type", "application/x-ndjson")
                .header("Authorization", bearer())
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofFile(input))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(201, uploaded.statusCode(), uploaded.body());
    String id = JSON.readTree(uploaded.body()).path("id").asText();
    Predicate<JsonNode> pastTwoCheckpoints =
        t -> t.path("progress").path("chunks_done").asLong() >= 16;
    JsonNode[] atKill = new JsonNode[1];
    await(
        () -> pastTwoCheckpoints.test(atKill[0] = call("GET", base + "/api/tasks/" + id, null)),
        Duration.ofSeconds(60),
        "two checkpoints");
    first.destroyForcibly(); // SIGKILL: no shutdown, no flush
    assertEquals("running", atKill[0].path("status").asText(), "killed in the middle");
    assertTrue(first.waitFor(30, TimeUnit.SECONDS));

    Process second = serve(dir.resolve("second.log"), port);
    try {
      JsonNode[] done = new JsonNode[1];
      await(
          () -> {
            done[0] = call("GET", base + "/api/tasks/" + id, null);
            return !done[0].path("status").asText().equals("running");
          },
          Duration.ofSeconds(120),
          "the dataset task to finish after the restart");
      assertEquals("completed", done[0].path("status").asText(), done[0].toString());
      assertEquals(200_000, done[0].path("progress").path("records_done").asLong());
      long chunks = done[0].path("progress").path("chunks_done").asLong();

      String result =
          http.send(
                  HttpRequest.newBuilder(URI.create(base + "/api/tasks/" + id + "/result"))
                      .header("Authorization", bearer())
                      .build(),
                  HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
              .body();
      List<String> lines = result.lines().toList();
      assertEquals(chunks, lines.size());
      io.agenthive.hive.HiveTestKit.assertEachChunkOnceInOrder(lines, Files.size(input));
      assertFalse(
          Files.exists(dir.resolve("work")), "no upload or result file: both are in the database");
    } finally {
      second.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
    try (Connection c =
            DriverManager.getConnection(
                "jdbc:h2:file:" + dir.resolve("data").resolve("hive") + ";ACCESS_MODE_DATA=r",
                "sa",
                "");
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT COUNT(*), COUNT(DISTINCT \"persistence_id\")"
                    + " FROM \"event_journal\" WHERE \"event_ser_manifest\" LIKE '%TaskCompleted'"
                    + " AND \"persistence_id\" LIKE '%-chunk-%'")) {
      assertTrue(rs.next());
      assertEquals(rs.getLong(2), rs.getLong(1), "one TaskCompleted per chunk task");
    }
  }
}
