package io.agenthive.layout;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agenthive.PackageDependenciesTest;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** hive-http's packages (routes, feeds, worker socket, MCP, security) depend one way. */
class HttpPackagesTest {
  @Test
  void noPackageDependsOnItselfThroughOthers() throws Exception {
    var uses = PackageDependenciesTest.assertNoCycles(Path.of("src/main/java"));
    assertTrue(uses.containsKey("io.agenthive.http.api"), "read the sources: " + uses.keySet());
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
