package io.agenthive;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Packages depend one way: read from the main sources' imports (a reference to another of the
 * hive's packages needs one), no package may reach itself again through the packages it uses. The
 * other modules run the same check on their own sources ({@link #assertNoCycles}).
 */
public class PackageDependenciesTest {
  private static final Pattern IMPORT =
      Pattern.compile(
          "^import (?:static )?(io\\.agenthive(?:\\.[a-z]+)+)\\.[A-Z]", Pattern.MULTILINE);
  private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);

  @Test
  void noPackageDependsOnItselfThroughOthers() throws IOException {
    Map<String, Set<String>> uses = assertNoCycles(Path.of("src/main/java"));
    assertTrue(uses.containsKey("io.agenthive.matcher"), "read the sources: " + uses.keySet());
  }

  /** Fails on a package cycle among the sources under {@code root}; answers who uses whom. */
  public static Map<String, Set<String>> assertNoCycles(Path root) throws IOException {
    Map<String, Set<String>> uses = new TreeMap<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        String source = Files.readString(file);
        Matcher p = PACKAGE.matcher(source);
        assertTrue(p.find(), "package line in " + file);
        Set<String> to = uses.computeIfAbsent(p.group(1), k -> new TreeSet<>());
        Matcher m = IMPORT.matcher(source);
        while (m.find()) {
          if (!m.group(1).equals(p.group(1))) {
            to.add(m.group(1));
          }
        }
      }
    }
    for (String start : uses.keySet()) {
      List<String> cycle = pathBack(start, uses);
      assertNull(cycle, "package cycle: " + cycle);
    }
    return uses;
  }

  /**
   * Fails when a source under {@code root} names one of {@code packages} (short names under
   * io.agenthive), in an import or fully qualified: what a module must leave to the modules above
   * it. The build's module dependencies already refuse most such references; this names the rule.
   */
  public static void assertNoneNamed(Path root, String... packages) throws IOException {
    Pattern named = Pattern.compile("\\bio\\.agenthive\\.(" + String.join("|", packages) + ")\\b");
    List<String> found = new ArrayList<>();
    int read = 0;
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        read++;
        Matcher m = named.matcher(Files.readString(file));
        while (m.find()) {
          found.add(file + ": " + m.group());
        }
      }
    }
    assertTrue(read > 0, "read the sources under " + root);
    assertTrue(found.isEmpty(), "names a package of a module above: " + found);
  }

  /** A path from {@code start} back to itself, or null. */
  private static List<String> pathBack(String start, Map<String, Set<String>> uses) {
    Map<String, String> cameFrom = new HashMap<>();
    List<String> frontier = new ArrayList<>(List.of(start));
    Set<String> seen = new HashSet<>();
    while (!frontier.isEmpty()) {
      List<String> next = new ArrayList<>();
      for (String p : frontier) {
        for (String q : uses.getOrDefault(p, Set.of())) {
          if (q.equals(start)) {
            List<String> path = new ArrayList<>(List.of(start));
            for (String at = p; !at.equals(start); at = cameFrom.get(at)) {
              path.add(1, at);
            }
            path.add(start);
            return path;
          }
          if (seen.add(q)) {
            cameFrom.put(q, p);
            next.add(q);
          }
        }
      }
      frontier = next;
    }
    return null;
  }
}
