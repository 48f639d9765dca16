package io.agenthive.workflow;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agenthive.task.DependencyOutput;
import io.agenthive.task.TaskStatus;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The tally's rules: what counts as the same answer, no majority, and a judge's pick. */
class ConsensusTallyTest {
  static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  static JsonNode config(String rule, String match) {
    return JSON.objectNode().put("rule", rule).put("match", match);
  }

  static List<DependencyOutput> answers(String... texts) {
    List<DependencyOutput> out = new ArrayList<>();
    for (int i = 0; i < texts.length; i++) {
      ObjectNode o = JSON.objectNode().put("answer", texts[i]).put("model", "m" + i);
      out.add(new DependencyOutput("t" + i, "vote.voter-" + (i + 1), TaskStatus.COMPLETED, o));
    }
    return out;
  }

  @Test
  void normalisedMatchCountsCaseSpacesAndTrailingPunctuationAsTheSame() {
    JsonNode out =
        ConsensusTally.of(config("majority", "normalised"), answers(" Paris ", "paris.", "Lyon"));
    assertEquals(2, out.get("votes").asInt(), out.toString());
    assertEquals(" Paris ", out.at("/winner/answer").asText());
    assertEquals(1, out.get("winner_index").asInt());
    assertEquals(3, out.get("answers").size());
  }

  @Test
  void exactMatchDoesNotAndWithoutAMajorityTheWinnerIsNull() {
    JsonNode out =
        ConsensusTally.of(config("majority", "exact"), answers("Paris", "paris.", "Lyon"));
    assertTrue(out.get("winner").isNull(), out.toString());
    assertEquals(0, out.get("votes").asInt());
    assertTrue(out.get("no_majority").asText().contains("3 votes"), out.toString());
    JsonNode tie = ConsensusTally.of(config("majority", "exact"), answers("a", "a", "b", "b"));
    assertTrue(tie.get("winner").isNull(), "2 against 2 is no majority: " + tie);
  }

  @Test
  void largeAnswersPassedAsReferencesAreTheSameWhenTheirBytesAre() {
    List<DependencyOutput> out = new ArrayList<>();
    String[] digests = {"aa11", "aa11", "bb22"};
    for (int i = 0; i < digests.length; i++) {
      ObjectNode ref = JSON.objectNode();
      ref.putObject("output_stored")
          .put("size", 90_000)
          .put("sha256", digests[i])
          .put("url", "/api/tasks/t" + i + "/result");
      out.add(new DependencyOutput("t" + i, "vote.voter-" + (i + 1), TaskStatus.COMPLETED, ref));
    }
    JsonNode tally = ConsensusTally.of(config("majority", "normalised"), out);
    assertEquals(2, tally.get("votes").asInt(), tally.toString());
    assertEquals("aa11", tally.at("/winner/output_stored/sha256").asText());
  }

  @Test
  void aJudgePicksByNumberOrByTextEvenTheMinority() {
    List<DependencyOutput> deps = answers("Paris", "paris", "Lyon");
    deps.add(judge(JSON.objectNode().put("winner", 3)));
    JsonNode byNumber = ConsensusTally.of(config("judge", "normalised"), deps);
    assertEquals("Lyon", byNumber.at("/winner/answer").asText(), byNumber.toString());
    assertEquals(1, byNumber.get("votes").asInt());
    deps.set(3, judge(JSON.objectNode().put("answer", "The best is answer 3.")));
    assertEquals(
        3, ConsensusTally.of(config("judge", "normalised"), deps).get("winner_index").asInt());
    deps.set(3, judge(JSON.objectNode().put("answer", "lyon")));
    assertEquals(
        3, ConsensusTally.of(config("judge", "normalised"), deps).get("winner_index").asInt());
    deps.set(3, judge(JSON.objectNode().put("answer", "Marseille")));
    JsonNode none = ConsensusTally.of(config("judge", "normalised"), deps);
    assertTrue(none.get("winner").isNull(), none.toString());
    assertTrue(none.has("no_winner"));
  }

  static DependencyOutput judge(JsonNode output) {
    return new DependencyOutput("j", "vote.judge", TaskStatus.COMPLETED, output);
  }
}
