package io.agenthive.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Logins per username and per address in a fixed window, counted when they are <em>tried</em>
 * (before any password is hashed), so that concurrent guesses cannot all reach bcrypt: at most
 * {@code max-failures-per-user} hashes per window and username run at full speed. Past that, a
 * username is not locked out (anyone could then lock anyone out); each further try must wait a
 * delay that doubles with every try, from one second up to {@link #MAX_DELAY}, so guessing becomes
 * slow while the real user waits seconds, not the rest of the window. An address past its limit is
 * refused until its window ends. A successful login clears its username. Per node.
 */
public final class LoginThrottle {
  /** The longest a username's next try has to wait. */
  static final Duration MAX_DELAY = Duration.ofSeconds(60);

  private final SecuritySettings.LoginThrottleSettings settings;
  private final Clock clock;
  private final Cache<String, Window> windows;

  /** {@code tries} in the window that began at {@code start}, the last at {@code last}. */
  private record Window(Instant start, int tries, Instant last) {}

  public LoginThrottle(SecuritySettings.LoginThrottleSettings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
    this.windows =
        Caffeine.newBuilder().expireAfterWrite(settings.window()).maximumSize(100_000).build();
  }

  /**
   * Takes a try for this login if one may be made now (empty), or says how long to wait. Taken
   * before the password is checked; {@link #succeeded} gives the username's back.
   */
  public synchronized Optional<Duration> tryLogin(String username, String address) {
    Instant now = clock.instant();
    String user = "user:" + username;
    String addr = "addr:" + address;
    Optional<Duration> wait =
        later(userWait(current(user, now), now), addressWait(current(addr, now), now));
    if (wait.isPresent()) {
      return wait;
    }
    count(user, now);
    count(addr, now);
    return Optional.empty();
  }

  /**
   * A login that succeeded gives its tries back: all of the username's, and its own one of the
   * address's, so that many people signing in through one proxy do not lock each other out (only
   * failures count against an address).
   */
  public synchronized void succeeded(String username, String address) {
    windows.invalidate("user:" + username);
    String addr = "addr:" + address;
    Window w = current(addr, clock.instant());
    if (w != null && w.tries() > 0) {
      windows.put(addr, new Window(w.start(), w.tries() - 1, w.last()));
    }
  }

  private Window current(String key, Instant now) {
    Window w = windows.getIfPresent(key);
    return w == null || !now.isBefore(w.start().plus(settings.window())) ? null : w;
  }

  private void count(String key, Instant now) {
    Window w = current(key, now);
    windows.put(
        key, w == null ? new Window(now, 1, now) : new Window(w.start(), w.tries() + 1, now));
  }

  private Optional<Duration> userWait(Window w, Instant now) {
    if (w == null || w.tries() < settings.maxPerUser()) {
      return Optional.empty();
    }
    int over = Math.min(30, w.tries() - settings.maxPerUser());
    Duration delay = Duration.ofSeconds(1L << over);
    delay = delay.compareTo(MAX_DELAY) > 0 ? MAX_DELAY : delay;
    Instant next = w.last().plus(delay);
    return now.isBefore(next) ? Optional.of(Duration.between(now, next)) : Optional.empty();
  }

  private Optional<Duration> addressWait(Window w, Instant now) {
    if (w == null || w.tries() < settings.maxPerAddress()) {
      return Optional.empty();
    }
    return Optional.of(Duration.between(now, w.start().plus(settings.window())));
  }

  private static Optional<Duration> later(Optional<Duration> a, Optional<Duration> b) {
    if (a.isEmpty()) {
      return b;
    }
    return b.isPresent() && b.get().compareTo(a.get()) > 0 ? b : a;
  }
}
