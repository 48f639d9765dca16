package io.agenthive.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Failed logins per username and per address in a fixed window. Past the limit, logins for that
 * name (or from that address) are refused with 429 until the window ends, before any password is
 * checked: guessing costs the guesser, not the hub's CPU. Only failures count, so a user who knows
 * the password gets in again as soon as the window has passed. Per node.
 */
public final class LoginThrottle {
  private final SecuritySettings.LoginThrottleSettings settings;
  private final Clock clock;
  private final Cache<String, Window> windows;

  private record Window(Instant start, int failures) {}

  public LoginThrottle(SecuritySettings.LoginThrottleSettings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
    this.windows =
        Caffeine.newBuilder().expireAfterWrite(settings.window()).maximumSize(100_000).build();
  }

  /** How long until this login may be tried, when it may not be tried now. */
  public Optional<Duration> blocked(String username, String address) {
    Instant now = clock.instant();
    return later(
        wait("user:" + username, settings.maxPerUser(), now),
        wait("addr:" + address, settings.maxPerAddress(), now));
  }

  public void failed(String username, String address) {
    Instant now = clock.instant();
    count("user:" + username, now);
    count("addr:" + address, now);
  }

  public void succeeded(String username) {
    windows.invalidate("user:" + username);
  }

  private void count(String key, Instant now) {
    windows
        .asMap()
        .compute(
            key,
            (k, w) ->
                w == null || expired(w, now)
                    ? new Window(now, 1)
                    : new Window(w.start(), w.failures() + 1));
  }

  private Optional<Duration> wait(String key, int max, Instant now) {
    Window w = windows.getIfPresent(key);
    if (w == null || expired(w, now) || w.failures() < max) {
      return Optional.empty();
    }
    return Optional.of(Duration.between(now, w.start().plus(settings.window())));
  }

  private boolean expired(Window w, Instant now) {
    return !now.isBefore(w.start().plus(settings.window()));
  }

  private static Optional<Duration> later(Optional<Duration> a, Optional<Duration> b) {
    if (a.isEmpty()) {
      return b;
    }
    return b.isPresent() && b.get().compareTo(a.get()) > 0 ? b : a;
  }
}
