package io.agenthive.task;

import java.time.Instant;

/**
 * When time alone changes a task next: its {@code not_before}, {@code expires_at}, an approval's
 * timeout, a wait's instant; for a parent waiting for its subtasks, when it looks at them. The
 * matcher keeps these and tells the task when one comes ({@link TaskProtocol.Wake}); the task
 * re-checks, so an early or repeated call changes nothing.
 */
final class TaskWakeAt {
  private TaskWakeAt() {}

  static Instant of(Task t) {
    if (t.status() == TaskStatus.BLOCKED && !t.awaiting().isEmpty() && !t.damaged()) {
      // a parent waiting for its subtasks: they say when they end; this looks if one could not
      return t.retryAt();
    }
    if (!t.exists() || t.status().isTerminal() || t.damaged() || t.spec().gate() == null) {
      return null;
    }
    TaskGate g = t.spec().gate();
    Instant expiry = t.unstarted() ? g.expiresAt() : null;
    Instant own =
        switch (t.status()) {
          case SCHEDULED -> g.notBefore();
          case WAITING_FOR_APPROVAL -> plus(t.startedAt(), g.approval().timeoutMs());
          case WAITING -> waitEnds(t, g.waitFor());
          default -> null;
        };
    return earliest(own, expiry);
  }

  private static Instant waitEnds(Task t, TaskGate.Wait w) {
    if (w.until() != null) {
      return w.until();
    }
    return w.forMs() != null ? plus(t.startedAt(), w.forMs()) : plus(t.startedAt(), w.timeoutMs());
  }

  private static Instant plus(Instant from, Long ms) {
    return from == null || ms == null ? null : from.plusMillis(ms);
  }

  private static Instant earliest(Instant a, Instant b) {
    if (a == null) {
      return b;
    }
    return b == null || a.isBefore(b) ? a : b;
  }
}
