package io.agenthive.skill.text;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import opennlp.tools.sentdetect.SentenceModel;
import opennlp.tools.tokenize.TokenizerModel;

/**
 * The models and word lists of the text analysis (resources/text-analysis/README.md says where each
 * comes from), loaded once per JVM on first use: the models are immutable and shared.
 */
public final class TextResources {
  private static final String SENTENCE_MODEL = "/opennlp-en-ud-ewt-sentence-1.3-2.5.4.bin";
  private static final String TOKEN_MODEL = "/opennlp-en-ud-ewt-tokens-1.3-2.5.4.bin";
  private final SentenceModel sentenceModel;
  private final TokenizerModel tokenModel;
  private final Map<String, Double> lexicon;
  private final Set<String> stopwords;
  private final Map<String, Integer> documentFrequency;
  private final int documents;

  private TextResources() {
    try {
      sentenceModel = new SentenceModel(open(SENTENCE_MODEL));
      tokenModel = new TokenizerModel(open(TOKEN_MODEL));
      lexicon = new HashMap<>();
      for (String line : lines("/text-analysis/sentiment-lexicon.tsv")) {
        String[] parts = line.split("\t");
        lexicon.put(parts[0], Double.parseDouble(parts[1]));
      }
      stopwords = new HashSet<>();
      for (String line : lines("/text-analysis/stopwords.txt")) {
        stopwords.addAll(Set.of(line.trim().split("\\s+")));
      }
      documentFrequency = new HashMap<>();
      int n = 0;
      for (String doc : lines("/text-analysis/background-corpus.txt")) {
        n++;
        Set<String> seen = new HashSet<>();
        for (String w : doc.toLowerCase(Locale.ROOT).split("[^\\p{L}']+")) {
          if (!w.isEmpty() && seen.add(w)) {
            documentFrequency.merge(w, 1, Integer::sum);
          }
        }
      }
      documents = n;
    } catch (IOException e) {
      throw new UncheckedIOException("text-analysis resources are missing from the class path", e);
    }
  }

  private static final class Holder {
    static final TextResources INSTANCE = new TextResources();
  }

  public static TextResources get() {
    return Holder.INSTANCE;
  }

  SentenceModel sentenceModel() {
    return sentenceModel;
  }

  TokenizerModel tokenModel() {
    return tokenModel;
  }

  Double polarity(String word) {
    return lexicon.get(word);
  }

  Set<String> stopwords() {
    return stopwords;
  }

  int documentFrequency(String word) {
    return documentFrequency.getOrDefault(word, 0);
  }

  int backgroundDocuments() {
    return documents;
  }

  private static InputStream open(String resource) throws IOException {
    InputStream in = TextResources.class.getResourceAsStream(resource);
    if (in == null) {
      throw new IOException("no resource " + resource);
    }
    return in;
  }

  private static List<String> lines(String resource) throws IOException {
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(open(resource), StandardCharsets.UTF_8))) {
      return r.lines().filter(l -> !l.isBlank()).toList();
    }
  }
}
