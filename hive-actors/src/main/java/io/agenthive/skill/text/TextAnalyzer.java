package io.agenthive.skill.text;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import opennlp.tools.sentdetect.SentenceDetectorME;
import opennlp.tools.tokenize.TokenizerME;

/**
 * The analysis the {@code text-analysis} skill returns, as a pure function of the text: sentence
 * and token counts (Apache OpenNLP's English models), word statistics, top keywords by TF-IDF
 * against a bundled background corpus, and lexicon-based sentiment with negation and intensifiers
 * (score in [-1, 1]). Thread-safe: the OpenNLP tools, which are not, are made per call.
 */
public final class TextAnalyzer {
  static final int TOP_KEYWORDS = 10;
  private static final List<String> NEGATIONS =
      List.of("not", "no", "never", "n't", "without", "nor", "hardly", "cannot", "nothing");
  private static final Map<String, Double> INTENSIFIERS =
      Map.of(
          "very",
          1.5,
          "really",
          1.4,
          "extremely",
          1.8,
          "so",
          1.3,
          "quite",
          1.2,
          "slightly",
          0.6,
          "somewhat",
          0.7);

  /** How many tokens back a negation still flips a sentiment word. */
  private static final int NEGATION_WINDOW = 3;

  private final TextResources resources;

  public TextAnalyzer(TextResources resources) {
    this.resources = resources;
  }

  public ObjectNode analyze(String text) {
    SentenceDetectorME sentences = new SentenceDetectorME(resources.sentenceModel());
    TokenizerME tokenizer = new TokenizerME(resources.tokenModel());
    List<List<String>> tokenized = new ArrayList<>();
    for (String sentence : sentences.sentDetect(text)) {
      tokenized.add(List.of(tokenizer.tokenize(sentence)));
    }
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.put("language", "en");
    out.put("characters", text.length());
    out.put("sentences", tokenized.size());
    out.put("tokens", tokenized.stream().mapToInt(List::size).sum());
    Map<String, Integer> counts = new HashMap<>();
    int words = 0;
    long letters = 0;
    for (List<String> sentence : tokenized) {
      for (String token : sentence) {
        if (isWord(token)) {
          words++;
          letters += token.length();
          counts.merge(token.toLowerCase(Locale.ROOT), 1, Integer::sum);
        }
      }
    }
    ObjectNode stats = out.putObject("statistics");
    stats.put("words", words);
    stats.put("unique_words", counts.size());
    stats.put("type_token_ratio", words == 0 ? 0.0 : round((double) counts.size() / words));
    stats.put("average_word_length", words == 0 ? 0.0 : round((double) letters / words));
    stats.put(
        "average_sentence_words",
        tokenized.isEmpty() ? 0.0 : round((double) words / tokenized.size()));
    keywords(out, counts, words);
    sentiment(out, tokenized);
    return out;
  }

  /** TF-IDF: frequency here × log of how rare the word is in the background documents. */
  private void keywords(ObjectNode out, Map<String, Integer> counts, int words) {
    Map<String, Double> scores = new LinkedHashMap<>();
    int documents = resources.backgroundDocuments();
    counts.forEach(
        (word, n) -> {
          if (word.length() >= 3 && !resources.stopwords().contains(word)) {
            double tf = (double) n / words;
            double idf =
                Math.log((1.0 + documents) / (1.0 + resources.documentFrequency(word))) + 1;
            scores.put(word, tf * idf);
          }
        });
    var top = out.putArray("keywords");
    scores.entrySet().stream()
        .sorted(
            Map.Entry.<String, Double>comparingByValue()
                .reversed()
                .thenComparing(Map.Entry.comparingByKey()))
        .limit(TOP_KEYWORDS)
        .forEach(e -> top.addObject().put("word", e.getKey()).put("score", round(e.getValue())));
  }

  /**
   * Sum of lexicon polarities, each flipped when a negation precedes it within the window and
   * scaled by an intensifier right before it; normalised to [-1, 1] as sum / sqrt(sum² + 15).
   */
  private void sentiment(ObjectNode out, List<List<String>> sentences) {
    double sum = 0;
    int positive = 0;
    int negative = 0;
    for (List<String> sentence : sentences) {
      for (int i = 0; i < sentence.size(); i++) {
        String word = sentence.get(i).toLowerCase(Locale.ROOT);
        Double polarity = resources.polarity(word);
        if (polarity == null) {
          continue;
        }
        double value = polarity;
        if (i > 0) {
          value *= INTENSIFIERS.getOrDefault(sentence.get(i - 1).toLowerCase(Locale.ROOT), 1.0);
        }
        for (int j = Math.max(0, i - NEGATION_WINDOW); j < i; j++) {
          if (NEGATIONS.contains(sentence.get(j).toLowerCase(Locale.ROOT))) {
            value = -value;
            break;
          }
        }
        sum += value;
        positive += value > 0 ? 1 : 0;
        negative += value < 0 ? 1 : 0;
      }
    }
    double score = sum == 0 ? 0.0 : sum / Math.sqrt(sum * sum + 15);
    ObjectNode s = out.putObject("sentiment");
    s.put("score", round(score));
    s.put("label", score > 0.05 ? "positive" : score < -0.05 ? "negative" : "neutral");
    s.put("positive_words", positive);
    s.put("negative_words", negative);
  }

  private static boolean isWord(String token) {
    return token.chars().anyMatch(Character::isLetter);
  }

  private static double round(double v) {
    return Math.round(v * 10_000) / 10_000.0;
  }
}
