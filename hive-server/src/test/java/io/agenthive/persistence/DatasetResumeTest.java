package io.agenthive.persistence;

import static io.agenthive.hive.HiveTestKit.*;
import static io.agenthive.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.agenthive.access.Principal;
import io.agenthive.agent.AgentSpec;
import io.agenthive.hive.Hive;
import io.agenthive.node.HiveNode;
import io.agenthive.skill.SkillRef;
import io.agenthive.skill.TestSkills;
import io.agenthive.task.DatasetSpec;
import io.agenthive.task.Priority;
import io.agenthive.task.Task;
import io.agenthive.task.TaskSpec;
import io.agenthive.task.TaskStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hub stopped in the middle of a dataset task resumes it after a restart from the last
 * checkpoint: every chunk is in the result (a blob in the hub's database) exactly once, in order,
 * and chunks finished before the stop are not run again.
 */
class DatasetResumeTest {
  @TempDir Path dataDir;

  @Test
  void aRestartedHubResumesADatasetFromItsCheckpointWithEveryChunkOnceInTheResult()
      throws Exception {
    Path input = Files.createDirectories(dataDir.resolve("in"));
    StringBuilder text = new StringBuilder();
    for (int n = 1; n <= 1000; n++) {
      text.append("{\"n\": ")
          .append(n)
          .append(", \"pad\": \"")
          .append("z".repeat(24))
          .append("\"}\n");
    }
    Path file = Files.writeString(input.resolve("resume.ndjson"), text.toString());
    Config config =
        ConfigFactory.parseString(
                "hive.datasets { work-dir = \""
                    + dataDir.resolve("old-work")
                    + "\"\n allowed-dirs = \""
                    + input
                    + "\"\n"
                    + " checkpoint-every = 4 }")
            .withFallback(DurableHiveTest.durable(dataDir));
    TestSkills.Paced.reset();

    Hive first = HiveNode.start("durable", config);
    await(first.ready(Duration.ofSeconds(20)));
    for (int i = 0; i < 2; i++) {
      await(
          first
              .agents()
              .register(
                  new AgentSpec(
                      "resumer-" + i,
                      "worker",
                      List.of(cap("resume", 0.5)),
                      new SkillRef(
                          "paced", JsonNodeFactory.instance.objectNode().put("delay_ms", 80))),
                  Principal.HUB));
    }
    Task t =
        submit(
            first,
            new TaskSpec(
                "resume me",
                "",
                "general",
                Priority.MEDIUM,
                List.of(needs("resume", 0.1)),
                null,
                null,
                3,
                null,
                null,
                new DatasetSpec(file.toString(), DatasetSpec.Format.NDJSON, 1024, 2, false, false),
                null));
    eventually(
        () -> {
          Task now = task(first, t.id());
          return now.progress() != null && now.progress().chunksDone() >= 8 ? now : null;
        },
        "two checkpoints");
    DurableHiveTest.stop(first);
    int runsBeforeRestart = TestSkills.Paced.STARTED.get();

    Hive second = HiveNode.start("durable", config);
    try {
      await(second.ready(Duration.ofSeconds(20)));
      Task recovered = task(second, t.id());
      long checkpoint = recovered.progress().chunksDone();
      assertTrue(checkpoint >= 8 && checkpoint % 4 == 0, "a checkpoint: " + checkpoint);
      assertEquals(TaskStatus.RUNNING, recovered.status());

      Task done =
          eventually(
              () -> {
                Task now = task(second, t.id());
                return now.status().isTerminal() ? now : null;
              },
              "the dataset to finish after the restart");
      assertEquals(TaskStatus.COMPLETED, done.status(), String.valueOf(done.result()));
      assertEquals(1000, done.progress().recordsDone());

      // the result is a blob in the database, cut back to the checkpoint and appended from there
      List<String> lines = resultLines(second, t.id());
      assertFalse(Files.exists(dataDir.resolve("old-work")), "no file for it anywhere");
      assertEachChunkOnceInOrder(lines, Files.size(file));
      assertEquals(done.progress().chunksDone(), lines.size());
      int runs = TestSkills.Paced.STARTED.get();
      assertTrue(
          runs <= lines.size() + 2,
          "chunks before the checkpoint were not run again: "
              + runs
              + " runs ("
              + runsBeforeRestart
              + " before the restart) for "
              + lines.size()
              + " chunks");
    } finally {
      DurableHiveTest.stop(second);
    }
  }
}
