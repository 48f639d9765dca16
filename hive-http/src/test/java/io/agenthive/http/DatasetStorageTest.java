package io.agenthive.http;

import static io.agenthive.hive.HiveTestKit.*;
import static io.agenthive.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import io.agenthive.blob.BlobStore;
import io.agenthive.blob.BlobStores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The blob store's two bounds on a real hub and port: an upload that would pass {@code
 * hive.datasets.max-total-bytes} is stopped with 507 and leaves nothing behind, and a dataset's
 * upload and result are removed {@code hive.datasets.retention} after the task ended, after which
 * its result answers 410. Small numbers: a 512 KiB store, a 3 s retention swept every 300 ms.
 */
class DatasetStorageTest {
  static final long TOTAL = 512 * 1024;
  static ApiTestHub hub;
  static BlobStore store;

  @BeforeAll
  static void start() throws Exception {
    Path dataDir = Files.createTempDirectory("dataset-storage-test");
    hub =
        ApiTestHub.start(
            "DatasetStorageTest",
            dataDir,
            "hive.datasets { max-total-bytes = "
                + TOTAL
                + ", retention = 3s }\n"
                + "hive.blobs { part-size = 16KiB, total-recheck = 32KiB, sweep-interval = 300ms }");
    store = BlobStores.get(hub.kit.system());
    for (int i = 0; i < 2; i++) {
      agent(hub.hive, "keeper-" + i, "noop", cap("keep", 0.5));
    }
  }

  @AfterAll
  static void stop() {
    hub.stop();
  }

  static byte[] ndjson(int bytes) {
    StringBuilder text = new StringBuilder();
    for (int n = 0; text.length() < bytes; n++) {
      text.append("{\"n\": ")
          .append(n)
          .append(", \"pad\": \"")
          .append("q".repeat(40))
          .append("\"}\n");
    }
    return text.toString().getBytes(StandardCharsets.UTF_8);
  }

  static HttpTestClient.Reply upload(byte[] body) throws Exception {
    return hub.http.postBytes(
        "/api/tasks/upload?title=kept+a+while&capability=keep&chunk_bytes=16384",
        body,
        "application/x-ndjson");
  }

  /** The other test's blobs expire within seconds: start from an empty store. */
  static void awaitEmptyStore() {
    eventually(() -> await(store.totalBytes()) == 0 ? true : null, "an empty blob store");
  }

  @Test
  void anUploadPastTheStoresTotalIsStoppedWith507AndLeavesNothingBehind() throws Exception {
    awaitEmptyStore();
    var refused = upload(ndjson((int) TOTAL + 100_000));
    assertEquals(507, refused.status(), refused.body());
    JsonNode error = refused.json().path("error");
    assertEquals("insufficient_storage", error.path("code").asText());
    String message = error.path("message").asText();
    assertTrue(message.contains("of its 512.0 KiB limit (hive.datasets.max-total-bytes)"), message);
    assertTrue(message.contains("HIVE_DATASET_RETENTION"), "says what to free: " + message);
    assertTrue(message.contains("HIVE_DATASET_MAX_TOTAL_BYTES"), message);
    assertFalse(refused.json().path("request_id").asText().isEmpty());
    assertEquals(0, await(store.totalBytes()), "what the refused upload sent is removed");

    // the store is not wedged: an upload that fits is taken
    var taken = upload(ndjson(100_000));
    assertEquals(201, taken.status(), taken.body());
  }

  @Test
  void uploadsAndResultsAreRemovedAfterTheRetentionAndTheResultIsThen410() throws Exception {
    awaitEmptyStore();
    byte[] data = ndjson(100_000);
    var created = upload(data);
    assertEquals(201, created.status(), created.body());
    String id = created.json().path("id").asText();
    JsonNode done =
        hub.http
            .getUntil(
                "/api/tasks/" + id,
                r -> r.json().path("status").asText().equals("completed"),
                "the dataset to complete")
            .json();
    Instant ended = Instant.parse(done.path("completed_at").asText());
    var result = hub.http.get("/api/tasks/" + id + "/result");
    assertEquals(200, result.status());
    assertEquals(done.path("progress").path("chunks_done").asLong(), result.body().lines().count());
    assertTrue(await(store.totalBytes()) >= data.length, "the upload and result are held");

    var gone =
        hub.http.getUntil(
            "/api/tasks/" + id + "/result", r -> r.status() != 200, "the result to expire");
    Instant seen = Instant.now();
    assertEquals(410, gone.status(), gone.body());
    assertEquals("gone", gone.json().path("error").path("code").asText());
    String message = gone.json().path("error").path("message").asText();
    assertTrue(message.contains("expired at " + ended.plus(Duration.ofSeconds(3))), message);
    assertTrue(
        Duration.between(ended, seen).compareTo(Duration.ofSeconds(3)) >= 0,
        "not before the retention: " + Duration.between(ended, seen));
    // the 410 answers from the retention's end; the sweep removes the bytes at its next pass
    awaitEmptyStore();
    assertEquals(200, hub.http.get("/api/tasks/" + id).status(), "the task itself stays");
  }
}
