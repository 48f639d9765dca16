package io.agenthive.launcher;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.agenthive.hive.Hive;
import io.agenthive.node.HiveNode;
import io.agenthive.task.Task;
import io.agenthive.task.TaskStatus;
import io.agenthive.testing.Eventually;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Second half of the crash test, run in its own JVM: restarts the hub on the crashed hub's data and
 * waits until every acknowledged task has ended, then prints how each ended. Usage: RecoveryCheck
 * <data-dir> <file with one acknowledged task id per line>
 */
public final class RecoveryCheck {
  public static void main(String[] args) throws Exception {
    Config config =
        ConfigFactory.load()
            .withValue("hive.persistence.data-dir", ConfigValueFactory.fromAnyRef(args[0]));
    List<String> acked =
        Files.readAllLines(Path.of(args[1])).stream().filter(l -> !l.isBlank()).toList();
    Hive hive = HiveNode.start("hive-load", config);
    int completed = 0;
    int failed = 0;
    int missing = 0;
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    for (String id : acked) {
      Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
      TaskStatus status;
      try {
        // null (no such task) ends the wait as well: it counts as missing
        status =
            Eventually.until(
                () ->
                    hive.tasks()
                        .get(id)
                        .toCompletableFuture()
                        .get(10, TimeUnit.SECONDS)
                        .map(Task::status)
                        .orElse(null),
                s -> s == null || s == TaskStatus.COMPLETED || s == TaskStatus.FAILED,
                "task " + id + " to end",
                left);
      } catch (AssertionError stuck) {
        System.out.println("stuck " + id + ": " + stuck.getMessage());
        missing++;
        continue;
      }
      if (status == null) {
        missing++;
      } else if (status == TaskStatus.COMPLETED) {
        completed++;
      } else {
        failed++;
      }
    }
    System.out.println(
        "result completed=" + completed + " failed=" + failed + " missing=" + missing);
    System.out.flush();
    hive.system().terminate();
    hive.system().getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    System.exit(0);
  }
}
