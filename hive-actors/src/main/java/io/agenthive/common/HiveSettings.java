package io.agenthive.common;

import akka.actor.typed.BackoffSupervisorStrategy;
import akka.actor.typed.SupervisorStrategy;
import com.typesafe.config.Config;
import java.time.Duration;
import java.util.Set;

/** The hive's tunables, read once from {@code hive.core} (defaults in reference.conf). */
public record HiveSettings(
    String nodeName,
    Duration askTimeout,
    int queueBound,
    Duration agingStep,
    int maxCandidatesInReason,
    int defaultMaxAttempts,
    Duration defaultTimeout,
    Duration retryBackoffMin,
    Duration retryBackoffMax,
    Duration restartBackoffMin,
    Duration restartBackoffMax,
    int crashLimit,
    Duration crashWindow,
    int snapshotEvery,
    Duration agentPassivateAfter,
    Duration countsInterval,
    int matcherStashCapacity,
    Duration reconcileInterval,
    Duration lease,
    int journalTagCount) {

  /**
   * Whether this node is a hive of its own: no seed nodes and no discovery, so it joins itself
   * (HiveGuardian). Otherwise it is, or will be, one node of a cluster.
   */
  public static boolean alone(Config root) {
    return root.getStringList("akka.cluster.seed-nodes").isEmpty()
        && root.getString("hive.cluster.discovery").isBlank();
  }

  public static HiveSettings from(Config root) {
    Config c = root.getConfig("hive.core");
    return new HiveSettings(
        root.getString("hive.node.name"),
        c.getDuration("ask-timeout"),
        c.getInt("tasks.queue-bound"),
        c.getDuration("routing.aging-step"),
        c.getInt("routing.max-candidates-in-reason"),
        c.getInt("tasks.default-max-attempts"),
        c.getDuration("tasks.default-timeout"),
        c.getDuration("tasks.retry-backoff.min"),
        c.getDuration("tasks.retry-backoff.max"),
        c.getDuration("agents.restart-backoff.min"),
        c.getDuration("agents.restart-backoff.max"),
        c.getInt("agents.crash-limit"),
        c.getDuration("agents.crash-window"),
        c.getInt("snapshot-every"),
        c.getDuration("agents.passivate-after"),
        c.getDuration("matcher.counts-interval"),
        c.getInt("matcher.stash-capacity"),
        c.getDuration("matcher.reconcile-interval"),
        c.getDuration("matcher.lease"),
        HiveTags.checkedCount(c.getInt("journal-tag-count")));
  }

  /** How often a busy agent tells the matcher what it holds: three times per lease. */
  public Duration agentReportInterval() {
    return lease.dividedBy(3);
  }

  /** Delay before attempt {@code nextAttempt} (2, 3, ...): doubles each time, capped. */
  public Duration retryDelay(int nextAttempt) {
    int doublings = Math.max(0, Math.min(30, nextAttempt - 2));
    Duration d = retryBackoffMin.multipliedBy(1L << doublings);
    return d.compareTo(retryBackoffMax) > 0 ? retryBackoffMax : d;
  }

  /** The journal tags of the entity {@code entityId} (see {@link HiveTags}). */
  public Set<String> tagsFor(String entityId) {
    return HiveTags.of(entityId, journalTagCount);
  }

  /** How event-sourced actors react when the journal fails: restart with backoff, not stop. */
  public BackoffSupervisorStrategy journalFailureBackoff() {
    return restartBackoff();
  }

  /** The hive's supervision for actors that fail: restart with backoff (restart-backoff). */
  public BackoffSupervisorStrategy restartBackoff() {
    return SupervisorStrategy.restartWithBackoff(restartBackoffMin, restartBackoffMax, 0.2);
  }
}
