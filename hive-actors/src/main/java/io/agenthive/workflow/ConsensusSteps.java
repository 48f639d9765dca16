package io.agenthive.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agenthive.task.SpreadGroup;
import io.agenthive.task.TaskGate;
import io.agenthive.task.TaskSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a consensus step into ordinary steps the hive already routes, journals and retries: {@code
 * voters} copies of its task ({@code <name>.voter-1}, …), with the rule judge a judge task ({@code
 * <name>.judge}) that depends on them all, and under the step's own name a tally: a wait for the
 * signal {@value #SIGNAL} that depends on every voter (and the judge). The workflow signals the
 * tally once it is released, with the answers, the rule and the winner ({@link ConsensusTally}), so
 * the tally's output is the step's, and the step's dependents wait for the tally. Generated names
 * hold a '.', which a step's own name cannot, so they never clash with the client's.
 */
public final class ConsensusSteps {
  /** The signal a tally waits for; the workflow sends it, the task journals it once. */
  public static final String SIGNAL = "consensus";

  /** The type of a tally's task: how the workflow knows which released step to tally. */
  static final String TALLY_TYPE = "consensus";

  private ConsensusSteps() {}

  /** The steps with every consensus step replaced by its voters, judge and tally. */
  static List<WorkflowSpec.Step> expand(List<WorkflowSpec.Step> steps) {
    List<WorkflowSpec.Step> out = new ArrayList<>();
    for (WorkflowSpec.Step s : steps) {
      if (s.consensus() == null) {
        out.add(s);
        continue;
      }
      ConsensusSpec c = s.consensus();
      List<String> voters = new ArrayList<>();
      for (int i = 1; i <= c.voters(); i++) {
        String name = voterName(s.name(), i);
        voters.add(name);
        out.add(new WorkflowSpec.Step(name, s.task(), s.dependsOn(), s.runOnDependencyFailure()));
      }
      List<String> tallyWaitsFor = new ArrayList<>(voters);
      if (c.rule() == ConsensusSpec.Rule.JUDGE) {
        String judge = s.name() + ".judge";
        out.add(new WorkflowSpec.Step(judge, judgeTask(s, c), voters, false));
        tallyWaitsFor.add(judge);
      }
      out.add(new WorkflowSpec.Step(s.name(), tally(s, c), tallyWaitsFor, false));
    }
    return out;
  }

  static String voterName(String step, int i) {
    return SpreadGroup.voterName(step, i); // the matcher spreads tasks so named over agents
  }

  /** Whether this node is a tally the workflow must signal once it is released. */
  static boolean isTally(WorkflowNode n) {
    TaskSpec spec = n.spec();
    return TALLY_TYPE.equals(spec.type())
        && spec.gate() != null
        && spec.gate().waitFor() != null
        && SIGNAL.equals(spec.gate().waitFor().signal());
  }

  /**
   * The judge's task: its input is a text that names every answer ({@code {{deps.<step>.voter-n}}},
   * filled from its dependencies when it runs), so an llm judge's prompt holds them, and says what
   * was asked and how to answer (the number of the best answer, 1..N). A remote worker also gets
   * the answers as its dependencies.
   */
  private static TaskSpec judgeTask(WorkflowSpec.Step s, ConsensusSpec c) {
    TaskSpec j = c.judge();
    String prompt =
        j.input() != null && j.input().path("prompt").isTextual()
            ? j.input().path("prompt").textValue()
            : "Several agents answered the same task. Reply with the number (1-"
                + c.voters()
                + ") of the best answer.";
    StringBuilder input = new StringBuilder(prompt).append("\n\nThe task: ");
    input.append(s.task().title());
    JsonNode asked = s.task().input();
    if (asked != null && !asked.isNull()) {
      input.append("\n").append(asked.isTextual() ? asked.textValue() : asked.toString());
    }
    for (int i = 1; i <= c.voters(); i++) {
      input.append("\n\nAnswer ").append(i).append(": {{deps.");
      input.append(voterName(s.name(), i)).append("}}");
    }
    String title = j.title() + ": " + s.task().title();
    return new TaskSpec(
        title.length() > 200 ? title.substring(0, 200) : title,
        j.description(),
        j.type() != null ? j.type() : "general",
        s.task().priority(),
        j.requiredCapabilities(),
        JsonNodeFactory.instance.textNode(input.toString()),
        s.task().deadline(),
        j.maxAttempts(),
        j.timeoutMs(),
        null);
  }

  /** The tally: a wait the workflow signals; its input records how it combines. */
  private static TaskSpec tally(WorkflowSpec.Step s, ConsensusSpec c) {
    ObjectNode input = JsonNodeFactory.instance.objectNode();
    input.put("rule", c.rule().label());
    input.put("match", c.match().label());
    input.put("voters", c.voters());
    return new TaskSpec(
            "consensus: " + s.task().title(),
            null,
            TALLY_TYPE,
            s.task().priority(),
            List.of(),
            input,
            null,
            null,
            null,
            null)
        .withGate(new TaskGate(null, null, null, new TaskGate.Wait(SIGNAL, null, null, null)));
  }
}
