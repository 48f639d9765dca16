package io.agenthive.security;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * Local users' passwords, hashed with bcrypt (Bouncy Castle's OpenBSD-compatible {@code $2y$}).
 * Slow on purpose: callers run it off the HTTP and actor threads.
 */
public final class Passwords {
  public static final int MIN_LENGTH = 8;

  /** bcrypt reads at most 72 bytes; longer passwords would be silently cut. */
  public static final int MAX_BYTES = 72;

  private static final SecureRandom RANDOM = new SecureRandom();

  private final int cost;

  /**
   * Checked against when the user does not exist, so an unknown name costs as much time. Made in
   * the background once the API serves ({@link #prepare}): a bcrypt hash is a few hundred
   * milliseconds of CPU that a start on two cores would otherwise share with its last steps.
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
   * Starts hashing the decoy in the background, once: the launcher calls it when the API serves,
   * and the first check of an unknown name calls it if nothing did before.
   */
  public void prepare() {
    if (decoyStarted.compareAndSet(false, true)) {
      CompletableFuture.supplyAsync(() -> hash("not a password of anyone's"), background)
          .whenComplete(
              (hash, failed) -> {
                if (failed != null) {
                  decoy.completeExceptionally(failed);
                } else {
                  decoy.complete(hash);
                }
              });
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
    if (password == null || password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      OpenBSDBCrypt.checkPassword(decoy(), "x".toCharArray());
      return false;
    }
    boolean ok = OpenBSDBCrypt.checkPassword(hash == null ? decoy() : hash, password.toCharArray());
    return ok && hash != null;
  }

  /**
   * The decoy hash, waited for at most once (until its background hash is done); callers of {@link
   * #matches} run off the HTTP and actor threads already, as bcrypt is slow on purpose.
   */
  private String decoy() {
    prepare();
    return decoy.join(); // allowed: one bcrypt hash, once, on a thread that may block
  }
}
