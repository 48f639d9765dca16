package io.agenthive.testing;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * The one way tests wait: poll a probe until what it sees is done, or fail naming what was awaited
 * and what was seen last. Actors never wait; tests wait for conditions, never for a fixed time.
 *
 * <p>Akka's {@code TestProbe.awaitAssert} does the same, but needs an actor system in the test's
 * JVM; many tests here watch hub processes or cluster nodes over HTTP, so this needs none.
 *
 * <p>A probe that throws fails the wait at once: an unexpected error is a finding, not something to
 * wait out. Probes that expect errors for a while (a node restarting) catch them themselves.
 */
public final class Eventually {
  /** How long a test waits unless it says otherwise. */
  public static final Duration WAIT = Duration.ofSeconds(20);

  /** Between two looks: short, so a test goes on soon after the condition holds. */
  private static final long PAUSE_MS = 20;

  private Eventually() {}

  /** What a test looks at; may call the API under test, and so may throw. */
  @FunctionalInterface
  public interface Probe<T> {
    T get() throws Exception;
  }

  /** Polls until {@code probe} gives a non-null value, and returns it. */
  public static <T> T eventually(Probe<T> probe, String what) {
    return until(probe, Objects::nonNull, what, WAIT);
  }

  /** The same with its own time limit (a hub process starting, say). */
  public static <T> T eventually(Probe<T> probe, String what, Duration within) {
    return until(probe, Objects::nonNull, what, within);
  }

  /** Polls until {@code done} accepts what {@code probe} sees, and returns that. */
  public static <T> T until(Probe<T> probe, Predicate<? super T> done, String what) {
    return until(probe, done, what, WAIT);
  }

  /**
   * Polls until {@code done} accepts what {@code probe} sees, and returns that; fails after {@code
   * within} with the last value seen, so a timeout says how far things got.
   */
  public static <T> T until(
      Probe<T> probe, Predicate<? super T> done, String what, Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    T last;
    do {
      last = look(probe);
      if (done.test(last)) {
        return last;
      }
      pause();
    } while (System.nanoTime() < deadline);
    // one last look: the pause may have been when it came true
    last = look(probe);
    if (done.test(last)) {
      return last;
    }
    throw new AssertionError(
        "timed out after "
            + within.toMillis()
            + " ms waiting for "
            + what
            + "; last seen: "
            + last);
  }

  /**
   * A "nothing happened" check: {@code holds} must stay true for the whole {@code window} (polled),
   * and fails as soon as it does not. The window is what is asserted, not a synchronisation.
   */
  public static void staysFor(Duration window, Probe<Boolean> holds, String what) {
    long end = System.nanoTime() + window.toNanos();
    do {
      if (!Boolean.TRUE.equals(look(holds))) {
        throw new AssertionError("expected " + what + " for " + window.toMillis() + " ms");
      }
      pause();
    } while (System.nanoTime() < end);
  }

  private static <T> T look(Probe<T> probe) {
    try {
      return probe.get();
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    } catch (Exception e) {
      throw new AssertionError("the probe failed: " + e, e);
    }
  }

  // the one pause between two looks of the one polling helper: it waits for a condition, and
  // nothing else in the tests sleeps to synchronise
  private static void pause() {
    try {
      Thread.sleep(PAUSE_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
