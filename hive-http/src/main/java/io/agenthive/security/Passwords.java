package io.agenthive.security;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Local users' passwords, hashed with bcrypt (Bouncy Castle's OpenBSD-compatible {@code $2y$}).
 * Slow on purpose: callers run it off the HTTP and actor threads.
 */
public final class Passwords {
  public static final int MIN_LENGTH = 8;

  /** bcrypt reads at most 72 bytes; longer passwords would be silently cut. */
  public static final int MAX_BYTES = 72;

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Logger log = LoggerFactory.getLogger(Passwords.class);
  private static final String DECOY_TEXT = "not a password of anyone's";

  private final int cost;

  /**
   * Checked against when the user does not exist, so an unknown name costs as much time. Hashed in
   * the background once the API serves ({@link #prepare}): a bcrypt hash is a few hundred
   * milliseconds of CPU that a start on two cores would otherwise share with its last steps. A
   * check that finds it not made yet makes it itself (see {@link #spendOneCheck}).
   */
  private final CompletableFuture<String> decoy = new CompletableFuture<>();

  private final AtomicBoolean decoyStarted = new AtomicBoolean();
  private final Executor background;

  /**
   * {@code background}: where the decoy is hashed (the blocking dispatcher, not the common pool).
   */
  public Passwords(int cost, Executor background) {
    if (cost < 4 || cost > 31) {
      // bcrypt's own bounds, checked here so a bad setting stops the start, not each login
      throw new IllegalArgumentException(
          "hive.http.auth.bcrypt-cost is " + cost + ": bcrypt takes 4 to 31");
    }
    this.cost = cost;
    this.background = background;
  }

  /**
   * Starts hashing the decoy in the background, once: the launcher calls it when the API serves.
   */
  public void prepare() {
    if (decoyStarted.compareAndSet(false, true)) {
      try {
        CompletableFuture.runAsync(() -> decoy.complete(hash(DECOY_TEXT)), background)
            .whenComplete(
                (done, failed) -> {
                  if (failed != null) {
                    log.warn("The login decoy could not be hashed in the background", failed);
                  }
                });
      } catch (RejectedExecutionException stopping) {
        // the node is stopping; a check that still comes makes the decoy itself
      }
    }
  }

  /** Why a new password is not acceptable, or empty. */
  public static Optional<String> weakness(String password) {
    if (password == null || password.length() < MIN_LENGTH) {
      return Optional.of("must be at least " + MIN_LENGTH + " characters");
    }
    if (password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      return Optional.of("must be at most " + MAX_BYTES + " bytes (bcrypt reads no further)");
    }
    return Optional.empty();
  }

  public String hash(String password) {
    byte[] salt = new byte[16];
    RANDOM.nextBytes(salt);
    return OpenBSDBCrypt.generate("2y", password.toCharArray(), salt, cost);
  }

  /** Whether {@code password} matches {@code hash}; a null hash (no such user) never does. */
  public boolean matches(String password, String hash) {
    if (hash == null
        || password == null
        || password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      spendOneCheck();
      return false;
    }
    return OpenBSDBCrypt.checkPassword(hash, password.toCharArray());
  }

  /**
   * The time of one bcrypt check, for a check that fails before it needs one: against the decoy,
   * or, while the decoy is not made yet, making it here, which costs the same. A check never waits
   * for the background hash: it may sit queued behind these very checks on the blocking dispatcher.
   */
  private void spendOneCheck() {
    String made = decoy.getNow(null);
    if (made == null) {
      decoy.complete(hash(DECOY_TEXT)); // the first to finish sets it; the others' cost the same
      return;
    }
    OpenBSDBCrypt.checkPassword(made, "x".toCharArray());
  }
}
