package io.agenthive.launcher;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import io.agenthive.hive.Hive;
import io.agenthive.node.HiveNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Pushes N tasks through submit → assign → noop skill → complete, every event journaled, and prints
 * the end-to-end rate. Runs on {@code <data-dir>/load}, which it leaves in place so a run can be
 * inspected or resumed. With {@code --print-acks} it prints each acknowledged task id, which the
 * crash test uses to know what was promised.
 */
final class LoadCommand {
  private LoadCommand() {}

  record Options(int tasks, int agents, int concurrency, boolean printAcks) {
    static Options parse(List<String> args) throws UsageError {
      CommandOptions o =
          CommandOptions.parse(
              "./hive load", args, Set.of("tasks", "agents", "concurrency"), Set.of("print-acks"));
      return new Options(
          o.count("tasks", 2000, 1),
          o.count("agents", 8, 1),
          o.count("concurrency", 64, 1),
          o.flag("print-acks"));
    }
  }

  static int run(Config config, Options options) throws Exception {
    Path dir = Path.of(config.getString("hive.persistence.data-dir"), "load");
    Config loadConfig =
        config
            .withValue("hive.persistence.data-dir", ConfigValueFactory.fromAnyRef(dir.toString()))
            .withValue(
                "hive.core.tasks.queue-bound",
                ConfigValueFactory.fromAnyRef(Math.max(options.tasks(), 10_000)));
    Hive hive = HiveNode.start("hive-load", loadConfig);
    try {
      DemoCommand.get(hive.ready(Duration.ofSeconds(60)));
      LoadDriver.registerNoopAgents(hive, "load-agent-", options.agents());
      long start = System.nanoTime();
      LoadDriver.submitAll(
          hive,
          "load",
          options.tasks(),
          options.concurrency(),
          task -> {
            if (options.printAcks()) {
              synchronized (System.out) {
                System.out.println("ack " + task.id());
                System.out.flush();
              }
            }
          });
      double submitSeconds = seconds(start);
      LoadDriver.awaitDrained(hive);
      double totalSeconds = seconds(start);
      System.out.printf(
          "load: %d tasks, %d noop agents, %d submissions in flight%n",
          options.tasks(), options.agents(), options.concurrency());
      System.out.printf(
          "load: submitted (journaled) in %.2fs = %.0f tasks/s%n",
          submitSeconds, options.tasks() / submitSeconds);
      System.out.printf(
          "load: all completed in %.2fs = %.0f tasks/s end to end%n",
          totalSeconds, options.tasks() / totalSeconds);
      return 0;
    } finally {
      hive.system().terminate();
      hive.system().getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  private static double seconds(long start) {
    return (System.nanoTime() - start) / 1e9;
  }
}
