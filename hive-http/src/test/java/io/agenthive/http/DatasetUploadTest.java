package io.agenthive.http;

import static io.agenthive.hive.HiveTestKit.*;
import static io.agenthive.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import io.agenthive.blob.BlobStore;
import io.agenthive.blob.BlobStores;
import io.agenthive.dataset.ChunkScanner;
import io.agenthive.dataset.DatasetBlobs;
import io.agenthive.http.json.Json;
import io.agenthive.task.DatasetSpec;
import io.agenthive.testing.Eventually;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Dataset tasks over HTTP on a real port: an upload larger than this JVM's whole heap streamed with
 * chunked transfer encoding into the blob store (the test's database), its progress and history,
 * its result streamed back, and the 400s for bad uploads.
 */
class DatasetUploadTest {
  static final int CHUNK = 16 * 1024 * 1024;
  // not a @TempDir: H2 may still be closing when JUnit deletes one (stop() removes it, leaving
  // whatever H2 still holds open)
  static Path dataDir;
  static ApiTestHub hub;

  @BeforeAll
  static void start() throws Exception {
    dataDir = Files.createTempDirectory("dataset-upload-test");
    Files.createDirectories(dataDir.resolve("in"));
    hub =
        ApiTestHub.start(
            "DatasetUploadTest",
            dataDir,
            "hive.datasets { work-dir = \""
                + dataDir.resolve("old-work")
                + "\", allowed-dirs = \""
                + dataDir.resolve("in")
                + "\" }");
    for (int i = 0; i < 4; i++) {
      agent(hub.hive, "bulk-" + i, "noop", cap("bulk", 0.5));
    }
  }

  @AfterAll
  static void stop() throws Exception {
    hub.stop();
    // the large upload went into this test's database: its H2 file (on PostgreSQL the test
    // removed the blobs, and the schema is this test's own)
    try (var files = Files.walk(dataDir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }

  /** {@code size} bytes, each a function of its position: regenerated to check digests. */
  static final class Generated extends InputStream {
    private final long size;
    private long position;

    Generated(long size) {
      this.size = size;
    }

    static byte at(long p) {
      return (byte) (p * 31 + (p >>> 11) + (p >>> 23));
    }

    @Override
    public int read() {
      return position < size ? at(position++) & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (position >= size) {
        return -1;
      }
      int n = (int) Math.min(len, size - position);
      for (int i = 0; i < n; i++) {
        b[off + i] = at(position + i);
      }
      position += n;
      return n;
    }
  }

  @Test
  void anUploadLargerThanTheHeapIsStreamedChunkedAndItsResultStreamsBack() throws Exception {
    long heap = Runtime.getRuntime().maxMemory();
    long size = heap + 100L * 1024 * 1024 + 12345;
    HttpClient client = HttpClient.newHttpClient();
    HttpResponse<String> created =
        client.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://127.0.0.1:"
                            + hub.http.port
                            + "/api/tasks/upload?title=big+upload"
                            + "&capability=bulk:0.2&chunk_bytes="
                            + CHUNK
                            + "&parallelism=4"))
                .header("Content-Type", "application/octet-stream")
                .header("Authorization", "Bearer " + hub.adminKey)
                .timeout(Duration.ofMinutes(5))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new Generated(size)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(201, created.statusCode(), created.body());
    JsonNode task = Json.MAPPER.readTree(created.body());
    String id = task.path("id").asText();
    assertEquals("bytes", task.path("dataset").path("format").asText());
    assertTrue(task.path("dataset").path("uploaded").asBoolean());

    long chunks = (size + CHUNK - 1) / CHUNK;
    JsonNode done =
        Eventually.until(
            () -> hub.http.get("/api/tasks/" + id).json(),
            now -> !now.path("status").asText().equals("running"),
            "the upload's task to finish",
            Duration.ofMinutes(3));
    assertEquals("completed", done.path("status").asText(), done.toString());
    JsonNode progress = done.path("progress");
    assertEquals(size, progress.path("bytes_total").asLong());
    assertEquals(size, progress.path("bytes_done").asLong());
    assertEquals(chunks, progress.path("chunks_done").asLong());
    assertEquals(size, done.path("result").path("output").path("bytes").asLong());
    assertTrue(size > heap, "the upload (" + size + ") is larger than the heap (" + heap + ")");

    HttpResponse<InputStream> result =
        client.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://127.0.0.1:" + hub.http.port + "/api/tasks/" + id + "/result"))
                .header("Authorization", "Bearer " + hub.adminKey)
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, result.statusCode());
    assertTrue(
        result.headers().firstValue("Content-Type").orElse("").startsWith("application/x-ndjson"));
    long lines = 0;
    JsonNode last = null;
    JsonNode first = null;
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(result.body(), StandardCharsets.UTF_8))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        last = Json.MAPPER.readTree(line);
        first = first == null ? last : first;
        assertEquals(lines++, last.path("chunk").asLong());
      }
    }
    assertEquals(chunks, lines);
    MessageDigest sha = ChunkScanner.sha256();
    byte[] firstChunk = new byte[CHUNK];
    new Generated(CHUNK).read(firstChunk, 0, CHUNK);
    assertEquals(HexFormat.of().formatHex(sha.digest(firstChunk)), first.path("sha256").asText());
    assertEquals(size - (chunks - 1) * CHUNK, last.path("length").asLong());

    String history = hub.http.get("/api/tasks/" + id + "/history").body();
    assertTrue(history.contains("TaskProgressed"), "progress is journaled");

    // the upload and the result are blobs in the hub's database, not files
    BlobStore store = BlobStores.get(hub.kit.system());
    String upload =
        DatasetSpec.blobIdOf(await(hub.hive.tasks().get(id)).orElseThrow().spec().dataset().path());
    assertEquals(size, await(store.info(upload)).orElseThrow().size());
    assertFalse(Files.exists(dataDir.resolve("old-work")), "nothing in hive.datasets.work-dir");
    await(store.delete(upload));
    await(store.delete(DatasetBlobs.resultId(id)));
  }

  @Test
  void csvUploadsAreSplitByRowsUnderTheirHeader() throws Exception {
    StringBuilder csv = new StringBuilder("id,name\n");
    for (int i = 1; i <= 300; i++) {
      csv.append(i).append(",\"name, number ").append(i).append("\"\n");
    }
    csv.append("301\n");
    var r =
        hub.http.postBytes(
            "/api/tasks/upload?title=rows&capability=bulk&chunk_bytes=1024",
            csv.toString().getBytes(StandardCharsets.UTF_8),
            "text/csv");
    assertEquals(201, r.status(), r.body());
    String id = r.json().path("id").asText();
    JsonNode done =
        hub.http
            .getUntil(
                "/api/tasks/" + id,
                x -> x.json().path("status").asText().equals("completed"),
                "rows done")
            .json();
    assertEquals(300, done.path("progress").path("records_done").asLong());
    assertEquals(1, done.path("progress").path("malformed_records").asLong());
    String result = hub.http.get("/api/tasks/" + id + "/result").body();
    assertTrue(result.contains("\"line\":302"), "the short row is reported on its line");
    // with the whole API running (its dashboard feed reads changed tasks), finished chunk
    // tasks still leave memory
    eventually(
        () ->
            liveTaskEntities(hub.kit).stream().noneMatch(e -> e.startsWith(id + "-chunk"))
                ? true
                : null,
        "no chunk task entity left in memory");
  }

  static String field(HttpTestClient.Reply r) {
    return r.json().path("error").path("field_errors").path(0).path("field").asText();
  }

  @Test
  void badUploadsAndResultsOfOtherTasksAreClearErrors() throws Exception {
    var noFormat = hub.http.postBytes("/api/tasks/upload?title=x", new byte[10], "text/plain");
    assertEquals(400, noFormat.status());
    assertEquals("format", field(noFormat));
    var unknown =
        hub.http.postBytes("/api/tasks/upload?title=x&colour=red", new byte[10], "text/csv");
    assertEquals(400, unknown.status());
    assertEquals("colour", field(unknown));
    var badChunk =
        hub.http.postBytes(
            "/api/tasks/upload?title=x&chunk_bytes=12", new byte[10], "application/x-ndjson");
    assertEquals(400, badChunk.status());
    assertEquals("dataset.chunk_bytes", field(badChunk));
    var outside =
        hub.http.post(
            "/api/tasks",
            "{\"title\": \"t\", \"dataset\": {\"path\": \""
                + dataDir.resolve("work").toString().replace("\\", "/")
                + "/../../etc\", "
                + "\"format\": \"ndjson\"}}");
    assertEquals(400, outside.status());
    assertEquals("dataset.path", field(outside));
    var naming =
        hub.http.post(
            "/api/tasks",
            "{\"title\": \"t\", \"dataset\": {\"path\": \"blob:upload-x\", \"format\": \"ndjson\"}}");
    assertEquals(400, naming.status(), "only an upload names its blob");
    assertEquals("dataset.path", field(naming));
    // a task that is not a dataset task and has no output yet has no result
    var plain =
        hub.http.post(
            "/api/tasks",
            "{\"title\": \"plain\", \"required_capabilities\":"
                + " [{\"name\": \"nobody-has-this\"}]}");
    var result = hub.http.get("/api/tasks/" + plain.json().path("id").asText() + "/result");
    assertEquals(404, result.status(), result.body());
    assertEquals(404, hub.http.get("/api/tasks/nope/result").status());
  }
}
