package io.agenthive.matcher;

import io.agenthive.agent.Agent;
import java.util.HashSet;
import java.util.Set;

/**
 * Whether the matcher's record of an agent's attempts (completed, failed, time, tokens) is wrong
 * against the journal's, as reconciliation reads it. After the matcher moved or restarted, the
 * singleton's proxies deliver the task changes they held while it moved, and its rebuild had
 * already folded those same outcomes from the journal: each outcome counted twice.
 *
 * <p>Only the sums are compared. Proficiencies are not: the matcher folds outcomes as their
 * messages arrive and the read side by task within its batches, and {@code Learning} clamps each
 * step to [0, 1], so the two can differ in the order they applied the same deltas. When the sums
 * differ, the journal's whole record is taken, proficiencies too.
 *
 * <p>A matcher ahead of the journal is wrong at once: whatever it heard before the read began is in
 * the snapshot, and an agent it heard of since is left alone ({@code touched}). One behind may only
 * be waiting for a change that was journaled, and is on its way: it is wrong only if it is still
 * behind, untouched, at the next look.
 */
final class AgentRecords {
  // agents found behind the journal at the last look
  private Set<String> behind = new HashSet<>();
  private Set<String> behindNow = new HashSet<>();

  /** Whether {@code mine} should take {@code journal}'s record. */
  boolean wrong(Agent mine, Agent journal) {
    if (sameSums(mine, journal)) {
      return false;
    }
    if (ahead(mine, journal) || behind.contains(mine.id())) {
      return true;
    }
    behindNow.add(mine.id());
    return false;
  }

  /** The look is over: the agents found behind in it are the ones the next look confirms. */
  void lookDone() {
    behind = behindNow;
    behindNow = new HashSet<>();
  }

  static boolean sameSums(Agent mine, Agent journal) {
    return mine.completed() == journal.completed()
        && mine.failed() == journal.failed()
        && mine.totalDurationMs() == journal.totalDurationMs()
        && mine.tokensUsed() == journal.tokensUsed();
  }

  /** More of everything, or as much: outcomes the journal has once, applied again. */
  static boolean ahead(Agent mine, Agent journal) {
    return mine.completed() >= journal.completed()
        && mine.failed() >= journal.failed()
        && mine.totalDurationMs() >= journal.totalDurationMs()
        && mine.tokensUsed() >= journal.tokensUsed();
  }
}
