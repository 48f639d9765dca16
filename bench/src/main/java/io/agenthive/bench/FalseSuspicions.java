package io.agenthive.bench;

import com.typesafe.config.Config;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The other side of fast failover: live nodes taken for dead. {@code ./hive bench failover} runs
 * this soak before its rounds and reports it beside the settings that trade one against the other.
 */
final class FalseSuspicions {
  // Akka's warning when heartbeats from a node arrive further apart than it expects
  private static final Pattern HEARTBEAT_GAP =
      Pattern.compile("heartbeat interval is growing too large .*: (\\d+) millis");

  private FalseSuspicions() {}

  /**
   * The failure detector's and the split brain resolver's settings trade failover time against
   * false suspicions: a node slow to answer (GC, three JVMs on two cores) taken for dead. Full load
   * on three nodes for {@code seconds}, then the nodes marked unreachable and downed, as their logs
   * say: no node was lost, so every one is false.
   */
  static String soak(BenchCluster cluster, int seconds, Config base) throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    int accepted =
        ClusterScenario.submit(
            cluster, i -> System.nanoTime() < end, Duration.ofSeconds(seconds + 60L));
    ClusterScenario.awaitCompleted(cluster, accepted);
    int unreachable = 0;
    int downed = 0;
    int leftAfterPause = 0;
    long longestGap = 0;
    for (int i = 0; i < cluster.size(); i++) {
      for (String line : Files.readAllLines(cluster.nodes(i).log(), StandardCharsets.UTF_8)) {
        unreachable += line.contains("Marking node as UNREACHABLE") ? 1 : 0;
        downed += line.contains("SBR took decision") ? 1 : 0;
        leftAfterPause += line.contains("leaves the cluster rather than act") ? 1 : 0;
        Matcher gap = HEARTBEAT_GAP.matcher(line);
        longestGap = gap.find() ? Math.max(longestGap, Long.parseLong(gap.group(1))) : longestGap;
      }
    }
    return "cluster: false suspicions under full load, three nodes, "
        + seconds
        + " s, "
        + accepted
        + " tasks accepted: "
        + unreachable
        + " times a node saw another as unreachable, "
        + downed
        + " times the resolver decided to down one, "
        + leftAfterPause
        + " times a node left on its own after it did not run for the pause guard's limit;"
        + " the longest gap between heartbeats"
        + " the failure detector warned of: "
        + (longestGap == 0 ? "none" : longestGap + " ms")
        + " (from the nodes' start) ("
        + detection(base)
        + ")";
  }

  /**
   * The settings that decide how fast a lost node is noticed and downed, as the nodes read them.
   */
  private static String detection(Config base) {
    Config c = base.getConfig("akka.cluster");
    return "heartbeat every "
        + c.getDuration("failure-detector.heartbeat-interval").toMillis()
        + " ms, acceptable pause "
        + c.getDuration("failure-detector.acceptable-heartbeat-pause").toMillis()
        + " ms, split brain resolver stable after "
        + c.getDuration("split-brain-resolver.stable-after").toMillis()
        + " ms, down-removal-margin "
        + c.getDuration("down-removal-margin").toMillis()
        + " ms, gossip every "
        + c.getDuration("gossip-interval").toMillis()
        + " ms";
  }
}
