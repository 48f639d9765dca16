package io.agenthive.layout;

import static org.junit.jupiter.api.Assertions.*;

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
 * The reference worker stands on its own: it talks to the hub only through the worker protocol
 * (docs/worker-protocol.md), so its sources name none of the hub's packages (an import or a fully
 * qualified name) and its pom depends on none of the hub's modules.
 */
class WorkerPackagesTest {
  private static final Pattern HIVE_NAME = Pattern.compile("io\\.agenthive(?:\\.[a-z]+)+");

  @Test
  void theWorkerNamesNoPackageOfTheHub() throws IOException {
    List<String> found = new ArrayList<>();
    int files = 0;
    try (Stream<Path> all = Files.walk(Path.of("src/main/java"))) {
      for (Path file : all.filter(f -> f.toString().endsWith(".java")).toList()) {
        files++;
        Matcher m = HIVE_NAME.matcher(Files.readString(file));
        while (m.find()) {
          if (!m.group().equals("io.agenthive.referenceworker")) {
            found.add(file + ": " + m.group());
          }
        }
      }
    }
    assertTrue(files > 0, "read the sources");
    assertTrue(found.isEmpty(), "the worker uses the hub's packages: " + found);
  }

  @Test
  void thePomDependsOnNoModuleOfTheHub() throws IOException {
    String pom = Files.readString(Path.of("pom.xml"));
    String dependencies =
        pom.substring(pom.indexOf("<dependencies>"), pom.indexOf("</dependencies>"));
    assertFalse(
        dependencies.contains("<groupId>io.agenthive</groupId>"),
        "hive-worker depends on a module of the hub: " + dependencies);
  }
}
