package io.agenthive.layout;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agenthive.PackageDependenciesTest;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The persistence module's packages (journal, read side, blobs) depend one way. */
class PersistencePackagesTest {
  @Test
  void noPackageDependsOnItselfThroughOthers() throws Exception {
    var uses = PackageDependenciesTest.assertNoCycles(Path.of("src/main/java"));
    assertTrue(
        uses.containsKey("io.agenthive.persistence.readside"),
        "read the sources: " + uses.keySet());
  }

  /** Node start-up (HiveNode) is hive-server's: persistence is what it starts, not who starts. */
  @Test
  void persistenceNamesNoPackageOfTheServerOrTheWorker() throws Exception {
    PackageDependenciesTest.assertNoneNamed(
        Path.of("src/main/java"), "node", "launcher", "cluster", "referenceworker");
  }
}
