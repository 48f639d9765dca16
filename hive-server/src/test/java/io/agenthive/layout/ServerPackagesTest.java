package io.agenthive.layout;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.agenthive.PackageDependenciesTest;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * hive-server holds the hub as a program and nothing else: the command line, node start-up, cluster
 * formation and the log format, depending one way. A route or a domain class belongs in the modules
 * below it.
 */
class ServerPackagesTest {
  @Test
  void theServerHoldsOnlyTheProgramsPackagesAndTheyDependOneWay() throws Exception {
    var uses = PackageDependenciesTest.assertNoCycles(Path.of("src/main/java"));
    assertEquals(
        Set.of(
            "io.agenthive.cluster",
            "io.agenthive.launcher",
            "io.agenthive.logging",
            "io.agenthive.node"),
        uses.keySet());
  }
}
