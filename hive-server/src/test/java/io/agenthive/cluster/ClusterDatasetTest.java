package io.agenthive.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.agenthive.dataset.ChunkScanner;
import io.agenthive.hive.HiveTestKit;
import io.agenthive.persistence.TestDatabase;
import io.agenthive.testing.Eventually;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The case: three nodes that share nothing but PostgreSQL (each in its own working and data
 * directory, as on separate machines). A 20 MB dataset uploaded through node 1 is split by the
 * dataset job wherever its singleton runs, its chunks are read and run by agents on every node, and
 * its whole result downloads from node 2. Runs on the PostgreSQL pass ({@code -Ppostgres}).
 */
class ClusterDatasetTest {
  private static final String TYPE = "cluster-dataset";
  private static final int RECORDS = 200_000;
  private Path dir;

  @BeforeEach
  void onlyOnPostgres(TestInfo test) throws Exception {
    Assumptions.assumeTrue(TestDatabase.postgres(), "clusters need a shared PostgreSQL");
    dir = ClusterNodes.logDir(test);
  }

  static byte[] records() {
    StringBuilder text = new StringBuilder();
    for (int n = 1; n <= RECORDS; n++) {
      text.append("{\"n\": ")
          .append(n)
          .append(", \"pad\": \"")
          .append("c".repeat(80))
          .append("\"}\n");
    }
    return text.toString().getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aDatasetUploadedThroughOneNodeRunsOnEveryNodeAndItsResultDownloadsFromAnother()
      throws Exception {
    byte[] data = records();
    try (ClusterNodes nodes = new ClusterNodes(dir, 3)) {
      nodes.startAll();
      // nine agents, whose entities sharding spreads over the three nodes
      ClusterTest.registerAgents(nodes, 9);
      HttpResponse<String> uploaded =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create(
                              nodes.base(0)
                                  + "/api/tasks/upload?title=across+the+cluster&type="
                                  + TYPE
                                  + "&capability=work&chunk_bytes=524288&parallelism=9"))
                      .header("Authorization", "Bearer " + nodes.adminKey())
                      .header("Content-Type", "application/x-ndjson")
                      .timeout(Duration.ofSeconds(60))
                      .POST(HttpRequest.BodyPublishers.ofByteArray(data))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertEquals(201, uploaded.statusCode(), uploaded.body());
      String id = ClusterNodes.JSON.readTree(uploaded.body()).path("id").asText();

      JsonNode done =
          Eventually.eventually(
              () -> {
                JsonNode t = ClusterTest.call(nodes, 0, "/api/tasks/" + id);
                return t.path("status").asText().equals("running") ? null : t;
              },
              "the dataset task to end",
              Duration.ofSeconds(90));
      assertEquals("completed", done.path("status").asText(), done.toString());
      assertEquals(RECORDS, done.path("progress").path("records_done").asLong());
      long chunks = done.path("progress").path("chunks_done").asLong();
      assertTrue(chunks >= 38, "a chunk per 512 KiB: " + chunks);

      // the whole result, from another node than the one that took the upload
      List<String> lines =
          nodes.text(1, "/api/tasks/" + id + "/result").lines().filter(l -> !l.isBlank()).toList();
      assertEquals(chunks, lines.size(), "one line per chunk");
      HiveTestKit.assertEachChunkOnceInOrder(lines, data.length);
      long records = 0;
      Set<String> agents = new HashSet<>();
      for (String l : lines) {
        JsonNode line = ClusterNodes.JSON.readTree(l);
        assertEquals("completed", line.path("status").asText(), l);
        int from = (int) line.path("offset").asLong();
        int to = from + (int) line.path("length").asLong();
        String sha =
            HexFormat.of()
                .formatHex(ChunkScanner.sha256().digest(Arrays.copyOfRange(data, from, to)));
        assertEquals(sha, line.path("sha256").asText(), "chunk " + line.path("chunk"));
        records += line.path("records").asLong();
        agents.add(line.path("agent").asText());
      }
      assertEquals(RECORDS, records, "every record, counted by the agents that parsed them");

      // agents on every node read chunks from the database: each node's own counter of the
      // attempts its agents completed moved for this dataset's chunk tasks
      long counted = 0;
      for (int i = 0; i < 3; i++) {
        long onNode = completedChunks(nodes.text(i, "/metrics"));
        System.out.printf("node %d: its agents completed %d of %d chunks%n", i, onNode, chunks);
        assertTrue(onNode > 0, "agents on node " + i + " ran chunks");
        counted += onNode;
      }
      assertEquals(chunks, counted, "each chunk completed once, on some node");
      assertTrue(agents.size() >= 3, "chunks ran on several agents: " + agents);

      for (int i = 0; i < 3; i++) {
        assertFalse(
            Files.exists(nodes.workDir(i).resolve("data").resolve("datasets")),
            "node " + i + " kept no dataset file: the upload and the result are in PostgreSQL");
      }
    }
  }

  /** The dataset's chunk attempts this node's agents completed, from its Prometheus scrape. */
  private static long completedChunks(String metrics) {
    return (long)
        metrics
            .lines()
            .filter(l -> l.startsWith("hive_tasks_completed_total{"))
            .filter(l -> l.contains("type=\"" + TYPE + "\""))
            .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
            .sum();
  }
}
