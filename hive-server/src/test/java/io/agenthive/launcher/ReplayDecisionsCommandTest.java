package io.agenthive.launcher;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import io.agenthive.agent.Capability;
import io.agenthive.hive.Hive;
import io.agenthive.hive.HiveTestKit;
import io.agenthive.node.HiveNode;
import io.agenthive.persistence.TestDatabase;
import io.agenthive.task.Priority;
import io.agenthive.task.Task;
import io.agenthive.task.TaskSpec;
import io.agenthive.task.TaskStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./hive replay-decisions} over a real hub's journal: 1,000 tasks routed among three agents,
 * one of which learns on every task (so each decision's scores depend on the outcomes before it),
 * then 20 tasks routed one at a time with every agent idle.
 */
class ReplayDecisionsCommandTest {
  static final int BULK = 1_000;
  static final int ONE_BY_ONE = 20;

  @TempDir Path dataDir;

  @Test
  void todaysPolicyReproducesEveryDecisionAndAProposedWeightChangesTheExplainedOnes()
      throws Exception {
    Config config = TestDatabase.config(dataDir);
    Hive hive = HiveNode.start("replay-decisions", config);
    HiveTestKit.await(hive.ready(Duration.ofSeconds(20)));
    // generalist 0.85 beats reviewer 0.80 on the plain mean; review weighted ×3, reviewer wins
    String generalist =
        HiveTestKit.agent(hive, "generalist", "noop", fixed("code", 0.85), fixed("review", 0.85))
            .id();
    String reviewer =
        HiveTestKit.agent(hive, "reviewer", "noop", fixed("code", 0.6), fixed("review", 1.0)).id();
    HiveTestKit.agent(
        hive, "apprentice", "noop", new Capability("code", 0.3, 0.5), fixed("review", 0.5));
    TaskSpec spec =
        HiveTestKit.task(
            "code and review",
            Priority.MEDIUM,
            HiveTestKit.needs("code", 0.2),
            HiveTestKit.needs("review", 0.4));
    // 50 submissions in flight at a time (as many HTTP clients would), so the queue is never empty
    List<Task> submitted = new ArrayList<>();
    for (int batch = 0; batch < BULK / 50; batch++) {
      List<CompletableFuture<Task>> inFlight = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        inFlight.add(hive.tasks().submitTask(spec).toCompletableFuture());
      }
      for (CompletableFuture<Task> t : inFlight) {
        submitted.add(t.get(30, TimeUnit.SECONDS));
      }
    }
    for (Task t : submitted) {
      HiveTestKit.awaitStatus(hive, t.id(), TaskStatus.COMPLETED);
    }
    Instant oneByOne = Instant.now();
    for (int i = 0; i < ONE_BY_ONE; i++) {
      HiveTestKit.awaitStatus(hive, HiveTestKit.submit(hive, spec).id(), TaskStatus.COMPLETED);
    }
    hive.system().terminate();
    hive.system().getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);

    // today's policy: the journal gives every recorded score, and every winner comes out the same
    JsonNode same = report(config, List.of("--json"));
    assertEquals(BULK + ONE_BY_ONE, same.get("decisions").asLong(), same.toString());
    assertEquals(0, same.get("not_reproducible").asLong(), same.toString());
    assertEquals(0, same.get("differing").asLong(), same.toString());
    assertEquals("best-proficiency-v1", same.get("policy").asText());

    Path policy = dataDir.resolve("review-heavy.conf");
    Files.writeString(policy, "name = review-heavy\nweights { review = 3 }\n");
    JsonNode heavy = report(config, List.of("--policy", policy.toString(), "--json"));
    assertEquals(BULK + ONE_BY_ONE, heavy.get("decisions").asLong());
    assertEquals("review-heavy", heavy.get("policy").asText());
    // every decision made with all three idle went to the generalist and would go to the reviewer
    assertTrue(heavy.get("differing").asLong() >= ONE_BY_ONE, heavy.toString());
    for (JsonNode d : heavy.get("differences")) {
      assertEquals(generalist, d.at("/recorded/agent_id").asText(), d.toString());
      assertEquals(reviewer, d.at("/proposed/agent_id").asText(), d.toString());
      assertEquals(
          "0.900 = (code 0.600×1 + review 1.000×3) / 4", d.at("/proposed/inputs").asText());
      assertEquals(0.85, d.get("recorded_score").asDouble(), 1e-9);
    }

    // a window: only the decisions made in it
    JsonNode window =
        report(
            config,
            List.of("--policy", policy.toString(), "--from", oneByOne.toString(), "--json"));
    assertEquals(ONE_BY_ONE, window.get("decisions").asLong(), window.toString());
    assertEquals(ONE_BY_ONE, window.get("differing").asLong(), window.toString());

    String text = printed(config, List.of("--policy", policy.toString()));
    assertTrue(
        text.contains(
            "Re-ran "
                + (BULK + ONE_BY_ONE)
                + " routing decision(s) through policy review-heavy: "
                + heavy.get("differing").asLong()
                + " would have gone to another agent."),
        text);
    assertTrue(text.contains("the policy picks "), text);
  }

  @Test
  void aPolicyFileWithAMistakeIsRefusedInOneSentenceNamingTheKey() throws Exception {
    Path policy = dataDir.resolve("typo.conf");
    Files.writeString(policy, "weights { review = -1 }\n");
    UsageError negative =
        assertThrows(
            UsageError.class,
            () ->
                DecisionCommands.replayDecisions(
                    TestDatabase.config(dataDir), List.of("--policy", policy.toString())));
    assertEquals(
        "--policy " + policy + ": weights.review must be 0 or more, not -1.0.",
        negative.getMessage());
    Files.writeString(policy, "wieghts { review = 2 }\n");
    UsageError unknown =
        assertThrows(
            UsageError.class,
            () ->
                DecisionCommands.replayDecisions(
                    TestDatabase.config(dataDir), List.of("--policy", policy.toString())));
    assertTrue(unknown.getMessage().contains("unknown key 'wieghts'"), unknown.getMessage());
  }

  /** A capability that does not learn: its agent's score is the same for every decision. */
  private static Capability fixed(String name, double proficiency) {
    return new Capability(name, proficiency, 0.0);
  }

  private static JsonNode report(Config config, List<String> args) throws Exception {
    // the test's own log lines share stdout with the command (a log goes to stderr in ./hive)
    List<String> json = printed(config, args).lines().filter(l -> l.startsWith("{")).toList();
    assertEquals(1, json.size(), "one JSON line: " + json);
    return new ObjectMapper().readTree(json.get(0));
  }

  private static String printed(Config config, List<String> args) throws Exception {
    return Printed.stdoutOf(() -> assertEquals(0, DecisionCommands.replayDecisions(config, args)));
  }
}
