package io.agenthive.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.OptionalLong;

/**
 * A token bucket per principal (or per address for requests without credentials): refills at the
 * role's rate, holds at most its burst. Buckets live on this node only, so a cluster of n nodes
 * lets a principal make up to n times the rate; idle buckets are forgotten after ten minutes.
 */
public final class RateLimiter {
  private final Cache<String, Bucket> buckets =
      Caffeine.newBuilder().expireAfterAccess(Duration.ofMinutes(10)).maximumSize(100_000).build();

  /** Takes one token; when there is none, how many seconds until there will be one. */
  public OptionalLong acquire(String who, SecuritySettings.Limit limit) {
    Bucket bucket = buckets.get(who, w -> new Bucket(limit.burst(), System.nanoTime()));
    return bucket.take(limit, System.nanoTime());
  }

  /**
   * How many seconds until {@code who} will have a token, when it has none now; takes none. For
   * checks that cost the hub something only when they fail (a signature for an unknown token).
   */
  public OptionalLong peek(String who, SecuritySettings.Limit limit) {
    Bucket bucket = buckets.getIfPresent(who);
    return bucket == null ? OptionalLong.empty() : bucket.peek(limit, System.nanoTime());
  }

  private static final class Bucket {
    private double tokens;
    private long refilledAt;

    Bucket(double tokens, long now) {
      this.tokens = tokens;
      this.refilledAt = now;
    }

    synchronized OptionalLong take(SecuritySettings.Limit limit, long now) {
      OptionalLong wait = peek(limit, now);
      if (wait.isEmpty()) {
        tokens -= 1;
      }
      return wait;
    }

    synchronized OptionalLong peek(SecuritySettings.Limit limit, long now) {
      double elapsed = (now - refilledAt) / 1e9;
      tokens = Math.min(limit.burst(), tokens + elapsed * limit.perSecond());
      refilledAt = now;
      if (tokens >= 1) {
        return OptionalLong.empty();
      }
      return OptionalLong.of(Math.max(1, (long) Math.ceil((1 - tokens) / limit.perSecond())));
    }
  }
}
