package io.agenthive.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

class PasswordsTest {
  /**
   * The decoy's background hash queued behind busy threads (here: an executor that never runs it,
   * as a blocking dispatcher whose every thread is in a login) must not hold up a check that needs
   * the decoy: before, such checks waited on the queued hash, and with all threads waiting nothing
   * ran it.
   */
  @Test
  void aCheckOfAnUnknownNameNeverWaitsForTheQueuedDecoy() {
    List<Runnable> queued = new ArrayList<>();
    Executor neverRuns = queued::add;
    Passwords passwords = new Passwords(4, neverRuns);
    passwords.prepare();
    assertTimeoutPreemptively(
        Duration.ofSeconds(30),
        () -> {
          assertFalse(passwords.matches("correct horse battery", null));
          assertFalse(passwords.matches("x".repeat(Passwords.MAX_BYTES + 1), null));
          assertFalse(passwords.matches(null, passwords.hash("correct horse battery")));
        });
    assertEquals(1, queued.size(), "prepare() queues the decoy once, not per call");
  }

  @Test
  void aKnownPasswordStillMatchesAndAWrongOneDoesNot() {
    Passwords passwords = new Passwords(4, Runnable::run);
    String hash = passwords.hash("correct horse battery");
    assertTrue(passwords.matches("correct horse battery", hash));
    assertFalse(passwords.matches("wrong horse battery", hash));
  }
}
