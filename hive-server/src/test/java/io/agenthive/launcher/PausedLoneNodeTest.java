package io.agenthive.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agenthive.persistence.TestDatabase;
import io.agenthive.testing.Eventually;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A clustered node that was frozen about as long as the others need to down it leaves when it wakes
 * (ClusterFailuresTest freezes one of three). A hub alone in its cluster, the embedded default, has
 * no one to down it: a paused container or process must not end it.
 */
class PausedLoneNodeTest {
  @TempDir Path dir;

  @Test
  void aLoneHubFrozenPastThePauseLimitServesOnWhenItWakes() throws Exception {
    // the lone node's rule does not depend on the database; the PostgreSQL run does not repeat it
    Assumptions.assumeFalse(TestDatabase.postgres());
    try (HubProcess hub = new HubProcess(dir, "384m", Map.of())) {
      hub.start();
      hub.awaitReady();
      hub.signal("STOP");
      try {
        // the stimulus, not a wait for a condition: frozen past the limit of 2.5 s (heartbeat
        // interval 0.5 s + acceptable pause 1.5 s + stable-after 0.5 s) by more than a tick
        Thread.sleep(4_000);
      } finally {
        hub.signal("CONT");
      }
      // the guard's first tick after the pause says what it decided
      Eventually.eventually(
          () -> {
            String log = hub.logText();
            if (log.contains("leaves the cluster rather than act") || !hub.alive()) {
              throw new AssertionError("a lone hub downed itself after a pause:\n" + log);
            }
            return log.contains("so it carries on") ? Boolean.TRUE : null;
          },
          "the woken hub saying it carries on",
          Duration.ofSeconds(30));
      assertEquals(200, hub.call("GET", "/api/hive/status", null).status());
      assertTrue(hub.alive(), "the woken hub still runs");
    }
  }
}
