package io.agenthive.dataset;

import static io.agenthive.testing.Eventually.staysFor;
import static io.agenthive.testing.Eventually.until;
import static org.junit.jupiter.api.Assertions.*;

import akka.Done;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.typesafe.config.ConfigFactory;
import io.agenthive.blob.BlobStores;
import io.agenthive.common.HiveSettings;
import io.agenthive.task.ChunkRef;
import io.agenthive.task.DatasetCommands;
import io.agenthive.task.DatasetSpec;
import io.agenthive.task.Priority;
import io.agenthive.task.RequiredCapability;
import io.agenthive.task.Task;
import io.agenthive.task.TaskProtocol;
import io.agenthive.task.TaskResult;
import io.agenthive.task.TaskSpec;
import io.agenthive.task.TaskStatus;
import io.agenthive.testing.StandInTasks;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The dataset jobs singleton on its own, its tasks (the dataset task and its chunk tasks) a
 * stand-in sharded on a one-node cluster: what it journals, a job's real run over a small file, an
 * idempotent start, a stop, and jobs resumed after recovery. Each test has its own actor system:
 * the singleton's persistence id is fixed, and a job left running by one test would journal into
 * the next one's history.
 */
class DatasetJobsTest {
  static final Instant T = Instant.parse("2026-12-02T10:15:00Z");
  static final ObjectMapper JSON = new ObjectMapper();
  static final int RECORDS = 40;

  Path dir;
  ActorTestKit kit;
  StandInTasks tasks;
  EventSourcedBehaviorTestKit<DatasetJobs.Command, DatasetJobs.Event, DatasetJobs.State> jobs;
  final String taskId = UUID.randomUUID().toString();
  Path file;
  byte[] data;

  @BeforeEach
  void start() throws Exception {
    dir = Files.createTempDirectory("dataset-jobs");
    Files.createDirectories(dir.resolve("in"));
    kit =
        ActorTestKit.create(
            ConfigFactory.parseString(
                    "hive.datasets { work-dir = \""
                        + dir.resolve("work")
                        + "\"\n allowed-dirs = \""
                        + dir.resolve("in")
                        + "\"\n checkpoint-every = 2 }")
                .withFallback(EventSourcedBehaviorTestKit.config())
                .withFallback(ConfigFactory.load("application-test")));
    tasks = StandInTasks.start(kit.system());
    HiveSettings settings = HiveSettings.from(kit.system().settings().config());
    jobs =
        EventSourcedBehaviorTestKit.create(
            kit.system(),
            DatasetJobs.create(
                settings, Datasets.get(kit.system()).settings(), Clock.fixed(T, ZoneOffset.UTC)));
    StringBuilder text = new StringBuilder();
    for (int n = 1; n <= RECORDS; n++) {
      text.append("{\"n\": ").append(n).append(", \"pad\": \"").append("x".repeat(60));
      text.append("\"}\n");
    }
    file = Files.writeString(dir.resolve("in").resolve("input.ndjson"), text.toString());
    data = Files.readAllBytes(file);
  }

  @AfterEach
  void stop() {
    kit.shutdownTestKit();
  }

  /** About 3 KiB of records in 1 KiB chunks, two out at once. */
  TaskSpec spec() {
    return new TaskSpec(
        "ds",
        "",
        "general",
        Priority.MEDIUM,
        List.of(new RequiredCapability("ds", 0.1)),
        // an input: a null one would come back from serialization as a JSON null, unequal
        JsonNodeFactory.instance.objectNode().put("prompt", "count"),
        null,
        3,
        null,
        null,
        new DatasetSpec(file.toString(), DatasetSpec.Format.NDJSON, 1024, 2, false, false),
        null);
  }

  /** The dataset task, running: what its job finds when it starts. */
  TaskSpec running() {
    TaskSpec spec = spec();
    tasks.put(StandInTasks.task(taskId, spec, TaskStatus.RUNNING, null));
    return spec;
  }

  /** A chunk task as its agent would complete it: the records of its chunk counted. */
  Task completedChunk(String id, TaskSpec spec) {
    ChunkRef chunk = spec.chunk();
    long records = 0;
    for (long i = chunk.offset(); i < chunk.offset() + chunk.length(); i++) {
      records += data[(int) i] == '\n' ? 1 : 0;
    }
    JsonNode out =
        JsonNodeFactory.instance
            .objectNode()
            .put("records", records)
            .set("output", JsonNodeFactory.instance.objectNode().put("chunk", chunk.index()));
    return StandInTasks.task(
        id, spec, TaskStatus.COMPLETED, new TaskResult(true, out, null, 5, 1.0));
  }

  /** From now on every chunk task completes, those already out too. */
  void chunksComplete() {
    tasks.onSubmit(this::completedChunk);
    for (StandInTasks.Seen s : tasks.log()) {
      if (s.command() instanceof TaskProtocol.Submit submit
          && !tasks.get(s.taskId()).status().isTerminal()) {
        Task done = completedChunk(s.taskId(), submit.spec());
        tasks.end(done.id(), done.status(), done.result());
      }
    }
  }

  String chunk(long index) {
    return ChunkRef.taskId(taskId, index);
  }

  void started(TaskSpec spec) {
    var result = jobs.<Done>runCommand(r -> new DatasetJobs.Start(taskId, spec, r));
    assertEquals(new DatasetJobs.JobStarted(taskId, spec, T), result.event());
    assertEquals(Done.getInstance(), result.reply());
    assertEquals(Map.of(taskId, spec), result.state().active());
  }

  List<Object> journal() {
    return List.copyOf(jobs.persistenceTestKit().persistedInStorage("DatasetJobs|hive"));
  }

  void journaledEnded() {
    until(() -> journal().size(), n -> n == 2, "the job's end journaled");
    assertEquals(new DatasetJobs.JobEnded(taskId, T), journal().get(1));
    assertEquals(Map.of(), jobs.getState().active());
  }

  @Test
  void aJobRunsItsDatasetThroughChunkTasksFinishesItsTaskAndIsJournaledEnded() throws Exception {
    tasks.onSubmit(this::completedChunk);
    started(running());

    journaledEnded();
    DatasetCommands.FinishDataset finish = tasks.await(taskId, DatasetCommands.FinishDataset.class);
    assertTrue(finish.result().success(), () -> "failed: " + finish.result().error());
    JsonNode summary = finish.result().output();
    long chunks = summary.path("chunks").asLong();
    assertTrue(chunks >= 3, "a 3 KiB input in 1 KiB chunks: " + summary);
    assertEquals(RECORDS, summary.path("records").asLong(), "every record counted once");
    assertEquals(0, summary.path("chunks_failed").asLong());
    assertEquals(data.length, summary.path("bytes").asLong());
    for (long i = 0; i < chunks; i++) {
      assertEquals(1, tasks.seen(chunk(i), TaskProtocol.Submit.class).size(), "chunk " + i);
    }
    assertTrue(tasks.seen(chunk(chunks), TaskProtocol.Submit.class).isEmpty());
    assertFalse(tasks.seen(taskId, DatasetCommands.RecordProgress.class).isEmpty(), "checkpointed");

    // the folded result: one line per chunk, in chunk order
    long bytes = summary.path("result").path("bytes").asLong();
    String result =
        new String(
            BlobStores.get(kit.system()).readRange(DatasetBlobs.resultId(taskId), 0, (int) bytes),
            StandardCharsets.UTF_8);
    List<String> lines = result.lines().toList();
    assertEquals(chunks, lines.size());
    for (int i = 0; i < lines.size(); i++) {
      JsonNode line = JSON.readTree(lines.get(i));
      assertEquals(i, line.path("chunk").asLong());
      assertEquals(i, line.path("output").path("chunk").asLong());
    }
  }

  @Test
  void aJobWhoseTaskIsNotRunningEndsAtOnceAndIsJournaledEnded() {
    // nothing under this id at the tasks: Get answers an empty task
    started(spec());
    journaledEnded();
    // the stand-in logs a command once it answered it: the end may be journaled before the log
    tasks.await(taskId, TaskProtocol.Get.class);
    assertEquals(1, tasks.seen(taskId, TaskProtocol.Get.class).size());
    assertTrue(tasks.seen(taskId, DatasetCommands.FinishDataset.class).isEmpty());
  }

  @Test
  void aSecondStartOfARunningJobJournalsNothingAndStartsNoSecondJob() {
    TaskSpec spec = running();
    started(spec);
    tasks.await(chunk(0), TaskProtocol.AwaitEnd.class); // the job runs; its chunks do not end

    var again = jobs.<Done>runCommand(r -> new DatasetJobs.Start(taskId, spec, r));
    assertTrue(again.hasNoEvents());
    assertEquals(Done.getInstance(), again.reply());
    staysFor(
        Duration.ofMillis(300),
        () -> tasks.seen(taskId, TaskProtocol.Get.class).size() == 1,
        "one job only");
    assertEquals(1, tasks.seen(chunk(0), TaskProtocol.Submit.class).size());
  }

  @Test
  void aStopIsJournaledAsTheJobsEndAndCancelsTheChunksStillOut() {
    started(running());
    tasks.await(chunk(0), TaskProtocol.AwaitEnd.class);

    var stop = jobs.runCommand(new DatasetJobs.Stop(taskId));
    assertEquals(new DatasetJobs.JobEnded(taskId, T), stop.event());
    assertEquals(Map.of(), stop.state().active());
    tasks.await(chunk(0), TaskProtocol.Cancel.class);
    assertEquals(TaskStatus.CANCELLED, tasks.get(chunk(0)).status());

    var again = jobs.runCommand(new DatasetJobs.Stop(taskId));
    assertTrue(again.hasNoEvents(), "a job that ended ends once");
  }

  @Test
  void recoveryResumesTheJobsThatHadNotEndedWhichThenRunToTheirEnd() {
    TaskSpec spec = running();
    started(spec);
    tasks.await(chunk(0), TaskProtocol.AwaitEnd.class);

    var restarted = jobs.restart();
    assertEquals(Map.of(taskId, spec), restarted.state().active());
    // a new job: it loads its task again and submits its chunks again (found, not made again)
    until(
        () -> tasks.seen(taskId, TaskProtocol.Get.class),
        l -> l.size() == 2,
        "the task loaded again");
    until(
        () -> tasks.seen(chunk(0), TaskProtocol.Submit.class),
        l -> l.size() == 2,
        "chunk 0 submitted again");

    chunksComplete();
    journaledEnded();
    assertTrue(tasks.await(taskId, DatasetCommands.FinishDataset.class).result().success());
  }

  @Test
  void aJobThatEndedIsNotResumedByRecovery() {
    started(spec());
    journaledEnded();

    var restarted = jobs.restart();
    assertEquals(Map.of(), restarted.state().active());
    staysFor(
        Duration.ofMillis(300),
        () -> tasks.seen(taskId, TaskProtocol.Get.class).size() == 1,
        "no job started again");
  }
}
