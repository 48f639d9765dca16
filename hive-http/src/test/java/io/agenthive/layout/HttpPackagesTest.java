package io.agenthive.layout;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agenthive.PackageDependenciesTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** hive-http's packages (routes, feeds, worker socket, MCP, security) depend one way. */
class HttpPackagesTest {
  private static final Path MAIN = Path.of("src/main/java");

  @Test
  void noPackageDependsOnItselfThroughOthers() throws Exception {
    var uses = PackageDependenciesTest.assertNoCycles(MAIN);
    assertTrue(uses.containsKey("io.agenthive.http.api"), "read the sources: " + uses.keySet());
  }

  /**
   * The package check above compares single packages, so {@code http} → {@code mcp} → {@code
   * http.guard} passed it; trees must not use each other both ways either. The HTTP tree mounts
   * MCP; what MCP needs of a request's caller lives in {@code io.agenthive.caller}.
   */
  @Test
  void mcpAndHttpTreesReferenceEachOtherOneWayOnly() throws IOException {
    List<Path> httpToMcp = referencing("io/agenthive/http", "io.agenthive.mcp");
    List<Path> mcpToHttp = referencing("io/agenthive/mcp", "io.agenthive.http");
    assertFalse(httpToMcp.isEmpty(), "read the sources: the HTTP tree mounts MCP");
    assertTrue(
        mcpToHttp.isEmpty(),
        "io.agenthive.http.. uses io.agenthive.mcp.. ("
            + httpToMcp
            + "), so io.agenthive.mcp.. must not use io.agenthive.http..: "
            + mcpToHttp);
  }

  /** Sources under {@code tree} naming {@code target} or a package under it (imports or not). */
  private static List<Path> referencing(String tree, String target) throws IOException {
    Pattern named = Pattern.compile("\\b" + Pattern.quote(target) + "\\b");
    try (Stream<Path> files = Files.walk(MAIN.resolve(tree))) {
      return files
          .filter(f -> f.toString().endsWith(".java"))
          .filter(f -> named.matcher(read(f)).find())
          .map(MAIN::relativize)
          .toList();
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * The HTTP side is a library the program (hive-server) puts together: it knows nothing of the
   * command line, node start-up, cluster formation or the reference worker.
   */
  @Test
  void theHttpSideNamesNoPackageOfTheServerOrTheWorker() throws Exception {
    PackageDependenciesTest.assertNoneNamed(
        Path.of("src/main/java"), "launcher", "cluster", "node", "referenceworker");
  }
}
