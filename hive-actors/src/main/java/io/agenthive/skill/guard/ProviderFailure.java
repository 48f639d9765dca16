package io.agenthive.skill.guard;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.Optional;

/**
 * A call to an external provider (an LLM endpoint, a webhook) that failed, classified for the
 * task's retry policy: {@code retryable} failures (429, 5xx, timeouts, connection errors, an open
 * circuit) are retried with backoff; the others (4xx: bad request, bad key, unknown model) fail the
 * task at once. {@code retryAfter} is the provider's Retry-After, when it sent one.
 */
public class ProviderFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;
  private final boolean retryable;
  private final transient Duration retryAfter;

  public ProviderFailure(String message, int status, boolean retryable, Duration retryAfter) {
    super(message);
    this.status = status;
    this.retryable = retryable;
    this.retryAfter = retryAfter;
  }

  /** From an HTTP status: 408, 429 and 5xx are worth retrying, other 4xx are not. */
  public static ProviderFailure ofStatus(int status, String message, Duration retryAfter) {
    boolean retry = status == 408 || status == 429 || status >= 500;
    return new ProviderFailure(message, status, retry, retryAfter);
  }

  public static ProviderFailure transientError(String message) {
    return new ProviderFailure(message, 0, true, null);
  }

  /** 0 when there was no HTTP answer (timeout, connection refused, open circuit). */
  public int status() {
    return status;
  }

  public boolean retryable() {
    return retryable;
  }

  public Duration retryAfter() {
    return retryAfter;
  }

  /** The answer's {@code Retry-After} in seconds; null when absent or an HTTP date. */
  public static Duration retryAfter(HttpHeaders headers) {
    return headers
        .firstValue("Retry-After")
        .flatMap(
            v -> {
              try {
                return Optional.of(Duration.ofSeconds(Long.parseLong(v.trim())));
              } catch (NumberFormatException httpDate) {
                return Optional.empty(); // an HTTP date: the task's backoff is used instead
              }
            })
        .orElse(null);
  }

  /** A provider's answer body, cut short enough for an error message. */
  public static String abbreviate(String text) {
    return text == null ? "" : text.length() <= 300 ? text : text.substring(0, 300) + "…";
  }
}
