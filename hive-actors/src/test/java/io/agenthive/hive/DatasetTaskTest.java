package io.agenthive.hive;

import static io.agenthive.hive.HiveTestKit.*;
import static io.agenthive.testing.Eventually.eventually;
import static io.agenthive.testing.Eventually.staysFor;
import static org.junit.jupiter.api.Assertions.*;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.LoggingTestKit;
import akka.stream.javadsl.Source;
import akka.util.ByteString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.typesafe.config.ConfigFactory;
import io.agenthive.access.Principal;
import io.agenthive.agent.AgentSpec;
import io.agenthive.blob.BlobStore;
import io.agenthive.blob.BlobStores;
import io.agenthive.common.HiveException;
import io.agenthive.dataset.ChunkScanner;
import io.agenthive.dataset.DatasetBlobs;
import io.agenthive.skill.SkillRef;
import io.agenthive.skill.TestSkills;
import io.agenthive.task.DatasetSpec;
import io.agenthive.task.Priority;
import io.agenthive.task.Task;
import io.agenthive.task.TaskSpec;
import io.agenthive.task.TaskStatus;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Dataset tasks through the real hive: splitting, chunk tasks on agents, the folded result in the
 * blob store (this hub's in-memory one), uploaded inputs read from the store, backpressure,
 * malformed records, checksum mismatches and cancel. Resume after a restart needs a durable journal
 * and is tested on one (hive-server's DatasetResumeTest).
 */
class DatasetTaskTest {
  static Path dir;
  static ActorTestKit kit;
  static Hive hive;
  static final ObjectMapper JSON = new ObjectMapper();

  @BeforeAll
  static void startHive() throws Exception {
    dir = Files.createTempDirectory("datasets");
    kit =
        ActorTestKit.create(
            ConfigFactory.parseString(
                    "hive.datasets { work-dir = \""
                        + dir.resolve("work")
                        + "\"\n"
                        + " allowed-dirs = \""
                        + dir.resolve("in")
                        + "\"\n checkpoint-every = 3 }")
                .withFallback(ConfigFactory.load("application-test")));
    Files.createDirectories(dir.resolve("in"));
    hive = HiveTestKit.start(kit);
  }

  @AfterAll
  static void shutdown() {
    kit.shutdownTestKit();
  }

  static TaskSpec dataset(
      String title,
      String capability,
      Path file,
      DatasetSpec.Format format,
      int chunkBytes,
      int parallelism,
      boolean failOnMalformed) {
    return new TaskSpec(
        title,
        "",
        "general",
        Priority.MEDIUM,
        List.of(needs(capability, 0.1)),
        null,
        null,
        3,
        null,
        null,
        new DatasetSpec(file.toString(), format, chunkBytes, parallelism, failOnMalformed, false),
        null);
  }

  static void agents(String capability, String skill, int count, long delayMs) {
    for (int i = 0; i < count; i++) {
      await(
          hive.agents()
              .register(
                  new AgentSpec(
                      capability.replace('.', '-') + "-" + i,
                      "worker",
                      List.of(cap(capability, 0.5)),
                      new SkillRef(
                          skill, JsonNodeFactory.instance.objectNode().put("delay_ms", delayMs))),
                  Principal.HUB));
    }
  }

  static Path ndjson(String name, int records, int... badLines) throws Exception {
    StringBuilder text = new StringBuilder();
    for (int line = 1; line <= records; line++) {
      int l = line;
      boolean bad = Arrays.stream(badLines).anyMatch(b -> b == l);
      text.append(
          bad
              ? "{\"n\": " + line + ", broken\n"
              : "{\"n\": " + line + ", \"pad\": \"" + "x".repeat(24) + "\"}\n");
    }
    return Files.writeString(dir.resolve("in").resolve(name), text.toString());
  }

  static List<JsonNode> resultLines(String taskId) throws Exception {
    List<JsonNode> lines = new ArrayList<>();
    for (String l : HiveTestKit.resultLines(hive, taskId)) {
      lines.add(JSON.readTree(l));
    }
    return lines;
  }

  static Optional<Task> chunkTask(String taskId, long index) {
    return await(hive.tasks().get(taskId + "-chunk-" + index));
  }

  @Test
  void recordsAreSplitRunByCapableAgentsAndFoldedInChunkOrderWithExactChecksums() throws Exception {
    agents("ds.basic", "noop", 3, 0);
    Path file = ndjson("basic.ndjson", 500, 17, 333);
    Task t =
        submit(hive, dataset("basic", "ds.basic", file, DatasetSpec.Format.NDJSON, 1024, 3, false));
    assertEquals(TaskStatus.RUNNING, t.status());
    Task done = awaitStatus(hive, t.id(), TaskStatus.COMPLETED);

    byte[] data = Files.readAllBytes(file);
    List<JsonNode> lines = resultLines(t.id());
    assertEquals(done.progress().chunksDone(), lines.size());
    long offset = 0;
    List<Long> malformedLines = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      JsonNode line = lines.get(i);
      assertEquals(i, line.path("chunk").asLong(), "chunk order");
      assertEquals(offset, line.path("offset").asLong(), "no gap, no overlap");
      long length = line.path("length").asLong();
      assertEquals(
          HexFormat.of()
              .formatHex(
                  ChunkScanner.sha256()
                      .digest(Arrays.copyOfRange(data, (int) offset, (int) (offset + length)))),
          line.path("sha256").asText(),
          "chunk " + i + "'s SHA-256");
      assertEquals("completed", line.path("status").asText());
      line.path("malformed").forEach(m -> malformedLines.add(m.path("line").asLong()));
      offset += length;
    }
    assertEquals(data.length, offset);
    assertEquals(List.of(17L, 333L), malformedLines);
    assertEquals(498, done.progress().recordsDone());
    assertEquals(2, done.progress().malformedRecords());
    assertEquals(data.length, done.progress().bytesDone());
    assertEquals(498, done.result().output().path("records").asLong());
    assertEquals(lines.size(), done.result().output().path("chunks").asLong());
    assertTrue(lines.size() > 5, "several chunks: " + lines.size());
    Task chunk0 = chunkTask(t.id(), 0).orElseThrow();
    assertEquals(TaskStatus.COMPLETED, chunk0.status());
    assertTrue(chunk0.assignedAgent().startsWith("ds.basic") || chunk0.assignedAgent() != null);
  }

  @Test
  void chunkOutputsTooLargeForTheirEventAreReadBackIntoTheResult() throws Exception {
    agents("ds.echo", "echo", 2, 0);
    Path file = ndjson("echo.ndjson", 4000);
    Task done =
        awaitStatus(
            hive,
            submit(
                    hive,
                    dataset(
                        "echo", "ds.echo", file, DatasetSpec.Format.NDJSON, 128 * 1024, 2, false))
                .id(),
            TaskStatus.COMPLETED);
    Task chunk0 = chunkTask(done.id(), 0).orElseThrow();
    assertNotNull(chunk0.result().stored(), "a 128 KiB chunk's echo is kept beside its event");
    long records = 0;
    for (JsonNode line : resultLines(done.id())) {
      records += line.at("/output/records").size();
    }
    assertEquals(4000, records, "every record came back through the stored outputs");
  }

  @Test
  void finishedChunkTasksLeaveMemory() throws Exception {
    agents("ds.memory", "noop", 2, 0);
    Path file = ndjson("memory.ndjson", 400, new int[0]);
    Task t =
        submit(
            hive, dataset("memory", "ds.memory", file, DatasetSpec.Format.NDJSON, 1024, 2, false));
    Task done = awaitStatus(hive, t.id(), TaskStatus.COMPLETED);
    assertTrue(done.progress().chunksDone() > 10);
    eventually(
        () ->
            liveTaskEntities(kit).stream().noneMatch(id -> id.startsWith(t.id() + "-chunk"))
                ? true
                : null,
        "no chunk task entity left in memory");
  }

  @Test
  void aMalformedRecordFailsTheTaskOnlyWhenTheTaskSaysSo() throws Exception {
    agents("ds.strict", "noop", 1, 0);
    Path file = ndjson("strict.ndjson", 200, 150);
    Task t =
        submit(
            hive, dataset("strict", "ds.strict", file, DatasetSpec.Format.NDJSON, 1024, 1, true));
    Task failed = awaitStatus(hive, t.id(), TaskStatus.FAILED);
    assertTrue(failed.result().error().contains("line 150"), failed.result().error());
    assertTrue(failed.progress().bytesDone() < Files.size(file), "stopped at the bad chunk");
  }

  @Test
  void aSlowAgentBoundsTheChunksInFlightToTheParallelism() throws Exception {
    TestSkills.Paced.reset();
    agents("ds.slow", "paced", 4, 120);
    Path file = ndjson("slow.ndjson", 300, new int[0]);
    // the job counts the chunks it has out (submitted, end not yet seen) and reports the most
    // when its run ends: every moment is counted, where sampling from here could miss one
    AtomicReference<String> id = new AtomicReference<>();
    AtomicReference<String> report = new AtomicReference<>();
    Task done =
        LoggingTestKit.custom(
                e -> {
                  boolean ours =
                      id.get() != null
                          && e.message().startsWith("Dataset task [" + id.get() + "] run ended");
                  if (ours) {
                    report.set(e.message());
                  }
                  return ours;
                })
            .expect(
                kit.system(),
                () -> {
                  Task t =
                      submit(
                          hive,
                          dataset(
                              "slow", "ds.slow", file, DatasetSpec.Format.NDJSON, 1024, 2, false));
                  id.set(t.id());
                  return awaitStatus(hive, t.id(), TaskStatus.COMPLETED);
                });
    assertTrue(done.progress().chunksDone() >= 4, "several chunks");
    assertEquals(done.progress().chunksDone(), TestSkills.Paced.STARTED.get(), "each chunk once");
    assertEquals(2, TestSkills.Paced.MAX_RUNNING.get(), "four idle agents, but two chunks out");
    assertTrue(
        report.get().endsWith("at most 2 of 2 chunk(s) out at once"),
        "chunks submitted ahead of their ends: " + report.get());
  }

  @Test
  void cancelStopsReadingAndCancelsTheChunkOut() throws Exception {
    agents("ds.cancel", "paced", 1, 300);
    Path file = ndjson("cancel.ndjson", 400, new int[0]);
    Task t =
        submit(
            hive, dataset("cancel", "ds.cancel", file, DatasetSpec.Format.NDJSON, 1024, 1, false));
    eventually(
        () -> chunkTask(t.id(), 1).filter(c -> c.status().isTerminal()).orElse(null),
        "two chunks done");
    Task cancelled = await(hive.tasks().cancel(t.id(), Principal.HUB));
    assertEquals(TaskStatus.CANCELLED, cancelled.status());
    long submitted = 0;
    for (long i = 0; i < 10; i++) {
      submitted += chunkTask(t.id(), i).isPresent() ? 1 : 0;
    }
    assertTrue(
        submitted >= 2 && submitted < 10, "chunks submitted before the cancel: " + submitted);
    long lastIndex = submitted - 1;
    eventually(
        () -> chunkTask(t.id(), lastIndex).filter(c -> c.status().isTerminal()).orElse(null),
        "the chunk out to be ended");
    staysFor(
        java.time.Duration.ofMillis(500),
        () -> chunkTask(t.id(), lastIndex + 1).isEmpty(),
        "no chunk submitted after the cancel");
    assertEquals(TaskStatus.CANCELLED, task(hive, t.id()).status());
  }

  @Test
  void aChunkWhoseBytesChangedIsAReportedChecksumMismatch() throws Exception {
    agents("ds.integrity", "paced", 1, 300);
    byte[] data = new byte[4096];
    new java.util.Random(11).nextBytes(data);
    Path file = Files.write(dir.resolve("in").resolve("integrity.bin"), data);
    Task t =
        submit(
            hive,
            dataset("integrity", "ds.integrity", file, DatasetSpec.Format.BYTES, 1024, 1, false));
    eventually(() -> chunkTask(t.id(), 0).orElse(null), "the first chunk out");
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.seek(3000); // inside chunk 2, which is read after chunk 0 ended
      raf.write(data[3000] ^ 0xff);
    }
    Task failed = awaitStatus(hive, t.id(), TaskStatus.FAILED);
    assertTrue(
        failed
            .result()
            .error()
            .startsWith("1 of 4 chunks failed; first: chunk 2: " + "checksum mismatch"),
        failed.result().error());
    List<JsonNode> lines = resultLines(t.id());
    assertEquals(4, lines.size());
    assertEquals("checksum_mismatch", lines.get(2).path("error_type").asText());
    assertEquals("completed", lines.get(3).path("status").asText());
    assertEquals(1, chunkTask(t.id(), 2).orElseThrow().attempts(), "not retried");
  }

  @Test
  void aRetriedDatasetResumesAfterItsCheckpointKeepingItsChunkPolicy() throws Exception {
    agents("ds.retry", "noop", 1, 0);
    Path file = ndjson("retry.ndjson", 200, 30);
    Task t =
        submit(hive, dataset("retry", "ds.retry", file, DatasetSpec.Format.NDJSON, 1024, 1, true));
    Task failed = awaitStatus(hive, t.id(), TaskStatus.FAILED);
    long checkpointed = failed.progress().chunksDone();
    assertTrue(checkpointed >= 1 && failed.progress().bytesDone() < Files.size(file));
    Task retried = await(hive.tasks().retry(t.id(), Principal.HUB));
    assertEquals(TaskStatus.RUNNING, retried.status());
    Task done = awaitStatus(hive, t.id(), TaskStatus.COMPLETED);
    assertEquals(199, done.progress().recordsDone(), "the bad record stays skipped");
    assertEquals(2, done.attempts());
    assertEquals(3, done.spec().maxAttempts(), "the chunks' retry policy is kept");
    List<JsonNode> lines = resultLines(t.id());
    assertEquals(done.progress().chunksDone(), lines.size());
    for (int i = 0; i < lines.size(); i++) {
      assertEquals(i, lines.get(i).path("chunk").asInt(), "each chunk once, in order");
    }
  }

  @Test
  void anUploadedInputIsReadFromTheBlobStoreAndNothingIsWrittenToTheOldWorkDirectory()
      throws Exception {
    agents("ds.upload", "noop", 2, 0);
    byte[] data = Files.readAllBytes(ndjson("upload.ndjson", 300, 40));
    String blob = DatasetBlobs.newUploadId();
    await(
        Source.single(ByteString.fromArray(data))
            .runWith(
                BlobStores.get(kit.system()).write(blob, BlobStore.Kind.UPLOAD, null, 1 << 20),
                kit.system()));
    Task t = submit(hive, uploaded("uploaded", "ds.upload", blob));
    Task done = awaitStatus(hive, t.id(), TaskStatus.COMPLETED);
    assertEquals(299, done.progress().recordsDone());
    assertEquals(data.length, done.progress().bytesDone());
    List<String> lines = HiveTestKit.resultLines(hive, t.id());
    assertEachChunkOnceInOrder(lines, data.length);
    assertTrue(lines.size() > 3, "several chunks: " + lines.size());
    assertTrue(lines.get(1).contains("\"line\":40"), "the bad record is reported: " + lines.get(1));
    assertFalse(
        Files.exists(dir.resolve("work").resolve("results")),
        "nothing written under hive.datasets.work-dir");
  }

  @Test
  void anUploadAnOlderVersionStoredAsAFileIsStillRead() throws Exception {
    agents("ds.legacy", "noop", 1, 0);
    // what versions before the blob store journaled: uploaded, and a path in work-dir/uploads
    Path uploads = Files.createDirectories(dir.resolve("work").resolve("uploads"));
    Path file = Files.move(ndjson("legacy.ndjson", 100), uploads.resolve("legacy.input"));
    DatasetSpec legacy =
        new DatasetSpec(file.toString(), DatasetSpec.Format.NDJSON, 1024, 1, false, true);
    Task t = submit(hive, uploaded("legacy", "ds.legacy", "unused").withDataset(legacy));
    Task done = awaitStatus(hive, t.id(), TaskStatus.COMPLETED);
    assertEquals(100, done.progress().recordsDone());
    assertEachChunkOnceInOrder(HiveTestKit.resultLines(hive, t.id()), Files.size(file));
  }

  @Test
  void anUploadThatIsGoneFailsItsTaskSayingSo() {
    agents("ds.gone", "noop", 1, 0);
    Task t = submit(hive, uploaded("gone", "ds.gone", "upload-that-was-removed"));
    Task failed = awaitStatus(hive, t.id(), TaskStatus.FAILED);
    assertTrue(
        failed.result().error().startsWith("the uploaded input is gone"), failed.result().error());
  }

  static TaskSpec uploaded(String title, String capability, String blob) {
    return new TaskSpec(
        title,
        "",
        "general",
        Priority.MEDIUM,
        List.of(needs(capability, 0.1)),
        null,
        null,
        3,
        null,
        null,
        new DatasetSpec(
            DatasetSpec.blobPath(blob), DatasetSpec.Format.NDJSON, 1024, 2, false, true),
        null);
  }

  @Test
  void aPathOutsideTheAllowedDirectoriesIsRefusedNamingTheField() throws Exception {
    Path outside = Files.writeString(dir.resolve("secret.txt"), "x\n");
    Throwable e =
        failureOf(
            hive.tasks()
                .submitTask(
                    dataset(
                        "outside", "ds.none", outside, DatasetSpec.Format.NDJSON, 1024, 1, false)));
    HiveException he = assertInstanceOf(HiveException.class, e);
    assertEquals("dataset.path", he.fieldErrors().get(0).field());
    Throwable e2 =
        failureOf(
            hive.tasks()
                .submitTask(
                    dataset(
                        "bad",
                        "ds.none",
                        dir.resolve("in").resolve("x"),
                        DatasetSpec.Format.NDJSON,
                        10,
                        0,
                        false)));
    assertEquals(
        List.of("dataset.chunk_bytes", "dataset.parallelism"),
        ((HiveException) e2).fieldErrors().stream().map(f -> f.field()).toList());
    // an upload's blob may be named only by the upload itself, never by a submission
    TaskSpec naming = uploaded("naming", "ds.none", "upload-of-someone-else");
    DatasetSpec notUploaded =
        new DatasetSpec(
            naming.dataset().path(), DatasetSpec.Format.NDJSON, null, null, false, false);
    Throwable e3 = failureOf(hive.tasks().submitTask(naming.withDataset(notUploaded)));
    assertEquals("dataset.path", ((HiveException) e3).fieldErrors().get(0).field());
  }
}
