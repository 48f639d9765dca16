package io.agenthive.launcher;

import io.agenthive.referenceworker.ReferenceWorker;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/** {@code ./hive worker}: the reference remote worker, its options checked before it connects. */
final class WorkerCommand {
  private static final String COMMAND = "./hive worker";

  private WorkerCommand() {}

  static int run(List<String> args) throws UsageError, InterruptedException {
    CommandOptions o =
        CommandOptions.parse(
            COMMAND,
            args,
            Set.of("url", "token", "name", "agent-id", "work-ms", "capability"),
            Set.of());
    List<String> urls =
        Arrays.stream(o.text("url", "ws://127.0.0.1:8080/ws/worker").split(","))
            .map(String::trim)
            .filter(u -> !u.isEmpty())
            .toList();
    for (String url : urls) {
      checkUrl(url);
    }
    String token = o.text("token", System.getenv("HIVE_WORKER_TOKEN"));
    if (token == null || token.isBlank()) {
      throw new UsageError(
          COMMAND
              + " needs a worker token: --token T or HIVE_WORKER_TOKEN"
              + " (./hive keys create --name w --role worker makes one).");
    }
    for (String capability : o.all("capability")) {
      checkCapability(capability);
    }
    var options =
        new ReferenceWorker.Options(
            urls.get(0),
            token,
            o.text("name", "java-worker"),
            o.text("agent-id", null),
            o.all("capability"),
            o.whole("work-ms", 100, 0));
    try {
      ReferenceWorker.runUntilKilled(urls, options);
      return 0;
    } catch (ReferenceWorker.Refused refused) {
      throw new UsageError(refused.getMessage());
    }
  }

  private static void checkUrl(String url) throws UsageError {
    String scheme;
    try {
      scheme = URI.create(url).getScheme();
    } catch (IllegalArgumentException e) {
      scheme = null;
    }
    if (!"ws".equals(scheme) && !"wss".equals(scheme)) {
      throw new UsageError(
          "--url must be a WebSocket address such as"
              + " ws://127.0.0.1:8080/ws/worker (comma-separated for several hubs), not '"
              + url
              + "'.");
    }
  }

  private static void checkCapability(String capability) throws UsageError {
    String[] kv = capability.split("=", 2);
    boolean ok = kv.length == 2 && !kv[0].isBlank();
    if (ok) {
      try {
        double p = Double.parseDouble(kv[1]);
        ok = p >= 0 && p <= 1;
      } catch (NumberFormatException e) {
        ok = false;
      }
    }
    if (!ok) {
      throw new UsageError(
          "--capability must be name=proficiency with a proficiency from 0 to 1,"
              + " e.g. --capability summarize=0.8, not '"
              + capability
              + "'.");
    }
  }
}
