package io.agenthive.layout;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agenthive.PackageDependenciesTest;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** hive-http's packages (routes, feeds, worker socket, launcher, security) depend one way. */
class HttpPackagesTest {
  @Test
  void noPackageDependsOnItselfThroughOthers() throws Exception {
    var uses = PackageDependenciesTest.assertNoCycles(Path.of("src/main/java"));
    assertTrue(uses.containsKey("io.agenthive.http.api"), "read the sources: " + uses.keySet());
  }
}
