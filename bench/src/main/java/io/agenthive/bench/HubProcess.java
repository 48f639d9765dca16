package io.agenthive.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A hub node ({@code ./hive serve}) in its own JVM, for the scenarios that need a real process. */
final class HubProcess {
  /** JVM settings of every server the harness starts: the hub and its ceilings alike. */
  static final List<String> JVM =
      List.of("-Xmx1g", "-Djava.util.concurrent.ForkJoinPool.common.parallelism=2");

  private static final Pattern READY =
      Pattern.compile("ready on http://\\S+ \\(node \\S+\\) in (\\d+) ms since JVM start");

  private HubProcess() {}

  /** {@code adminKey}: the first admin key the hub made (or an earlier start did), or null. */
  record Started(
      Processes.Child child,
      int port,
      long readyMsSinceJvmStart,
      double wallSeconds,
      String adminKey) {
    /** The Authorization header's value. */
    String bearer() {
      return "Bearer " + adminKey;
    }
  }

  /**
   * {@code cleanStop}: closing asks the hub to shut down cleanly (needed when its data is used
   * again); otherwise it is killed, which is quicker and harmless for data thrown away.
   */
  static Started start(
      Bench.Options options, Map<String, String> dbEnv, List<String> extraJvm, boolean cleanStop)
      throws Exception {
    int port = Processes.freePort();
    Map<String, String> env = new HashMap<>(dbEnv);
    env.put("HIVE_HTTP_PORT", Integer.toString(port));
    List<String> jvm = new ArrayList<>(JVM);
    jvm.add("-Dconfig.file=" + options.root().resolve("application.conf"));
    jvm.addAll(extraJvm);
    Path log = Files.createTempFile("hive-bench-hub-", ".log");
    long start = System.nanoTime();
    Processes.Child child =
        Processes.java("io.agenthive.launcher.Main", jvm, List.of("serve"), env, log, !cleanStop);
    try {
      Matcher ready = child.await(READY, Duration.ofMinutes(10));
      double wall = (System.nanoTime() - start) / 1e9;
      Path keyFile = Path.of(env.getOrDefault("HIVE_DATA_DIR", "data"), "admin.key");
      String key = Files.exists(keyFile) ? Files.readString(keyFile).trim() : null;
      return new Started(child, port, Long.parseLong(ready.group(1)), wall, key);
    } catch (Exception e) {
      child.close();
      throw e;
    }
  }
}
