package io.agenthive.skill.text;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextAnalyzerTest {
  final TextAnalyzer analyzer = new TextAnalyzer(TextResources.get());

  static List<String> keywords(JsonNode analysis) {
    List<String> out = new ArrayList<>();
    analysis.get("keywords").forEach(k -> out.add(k.get("word").asText()));
    return out;
  }

  @Test
  void countsSentencesTokensAndWords() {
    JsonNode a = analyzer.analyze("Akka runs actors. Dr. Smith's hub didn't crash! Did it?");
    assertEquals(3, a.get("sentences").asInt(), a.toString());
    assertTrue(a.get("tokens").asInt() >= 12, a.toString());
    assertEquals("en", a.get("language").asText());
    assertTrue(a.at("/statistics/words").asInt() >= 9, a.toString());
  }

  @Test
  void keywordsFavourTheTextsOwnSubjectOverWordsCommonEverywhere() {
    JsonNode a =
        analyzer.analyze(
            "The actor system restarts each actor with backoff. An actor"
                + " that fails is restarted by its supervisor. The team said the system is new.");
    List<String> top = keywords(a);
    assertEquals("actor", top.get(0), "the most frequent subject word leads: " + top);
    assertTrue(
        top.indexOf("supervisor") >= 0 && top.indexOf("team") > top.indexOf("supervisor"),
        "a word the background corpus uses ranks below an equally frequent rare one: " + top);
    assertFalse(top.contains("the") || top.contains("that"), "stopwords are never keywords");
  }

  @Test
  void sentimentHasASignAScaleAndHandlesNegation() {
    double good =
        analyzer
            .analyze("The release is great and the docs are excellent.")
            .at("/sentiment/score")
            .asDouble();
    double bad =
        analyzer
            .analyze("The release is terrible and the docs are useless.")
            .at("/sentiment/score")
            .asDouble();
    double negated =
        analyzer.analyze("The release is not great.").at("/sentiment/score").asDouble();
    double notBad =
        analyzer.analyze("Honestly, it was not bad at all.").at("/sentiment/score").asDouble();
    double neutral =
        analyzer.analyze("The meeting is on Tuesday at noon.").at("/sentiment/score").asDouble();
    assertTrue(good > 0.5 && good <= 1, "good " + good);
    assertTrue(bad < -0.5 && bad >= -1, "bad " + bad);
    assertTrue(negated < 0, "negation flips: " + negated);
    assertTrue(notBad > 0, "not bad is mildly positive: " + notBad);
    assertEquals(0.0, neutral);
    double very = analyzer.analyze("It is very good.").at("/sentiment/score").asDouble();
    double plain = analyzer.analyze("It is good.").at("/sentiment/score").asDouble();
    assertTrue(very > plain, "intensifiers strengthen: " + very + " vs " + plain);
  }
}
