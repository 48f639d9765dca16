package io.agenthive.docs;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/troubleshooting.md quotes what the hub prints; every quoted message must be one the code
 * really prints. Each fenced block after a "Symptom" is split at its "…" (the varying parts), and
 * every piece must be found in a string literal of the main sources (literals joined by {@code +}
 * count as one).
 */
class TroubleshootingGuideTest {
  private static final Pattern SYMPTOM_BLOCK =
      Pattern.compile("\\*\\*Symptom\\*\\*.*?```\\n(.*?)\\n```", Pattern.DOTALL);
  private static final Pattern LITERAL_CHAIN =
      Pattern.compile(
          "\"((?:[^\"\\\\]++|\\\\.)*+)\"(?:\\s*+\\+\\s*+\"((?:[^\"\\\\]++|\\\\.)*+)\")*+");
  private static final Pattern LITERAL = Pattern.compile("\"((?:[^\"\\\\]++|\\\\.)*+)\"");

  @Test
  void everyQuotedMessageIsPrintedByTheCode() throws IOException {
    String guide = Files.readString(Path.of("../docs/troubleshooting.md"));
    String literals = literals();
    Matcher block = SYMPTOM_BLOCK.matcher(guide);
    int checked = 0;
    while (block.find()) {
      for (String piece : block.group(1).split("…")) {
        String text = piece.strip();
        if (text.length() < 4) {
          continue;
        }
        assertTrue(
            literals.contains(text),
            "docs/troubleshooting.md quotes \""
                + text
                + "\", which no string in the sources prints");
        checked++;
      }
    }
    assertTrue(checked >= 10, "the guide quotes at least ten messages: " + checked);
  }

  /** Every string literal chain of the main sources, joined, one per line. */
  private static String literals() throws IOException {
    StringBuilder out = new StringBuilder();
    for (String module :
        List.of("hive-actors", "persistence", "hive-http", "hive-server", "hive-worker")) {
      try (Stream<Path> files = Files.walk(Path.of("..", module, "src", "main", "java"))) {
        for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
          // joins "a" + "b" across lines, as the compiler does
          Matcher chain = LITERAL_CHAIN.matcher(Files.readString(file));
          while (chain.find()) {
            Matcher each = LITERAL.matcher(chain.group());
            List<String> parts = new ArrayList<>();
            while (each.find()) {
              parts.add(each.group(1).replace("\\\"", "\"").replace("\\\\", "\\"));
            }
            out.append(String.join("", parts)).append('\n');
          }
        }
      }
    }
    return out.toString();
  }
}
