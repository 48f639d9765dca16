package io.agenthive.skill.guard;

import io.agenthive.common.Failures;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;

/**
 * Names what could not be reached and why, for a task's failure reason: "LLM endpoint at
 * api.example.com:443 is unreachable: connection refused" rather than the JDK's bare {@code
 * ConnectException} (whose message is often null). A retryable {@link ProviderFailure}.
 */
public final class Unreachable {
  private Unreachable() {}

  /**
   * The failure of a call to {@code url}, described; a {@link ProviderFailure} already made (an
   * HTTP status, an open circuit) passes through unchanged.
   */
  public static RuntimeException describe(String what, String url, Throwable error) {
    Throwable cause = Failures.cause(error);
    if (cause instanceof ProviderFailure failure) {
      return failure;
    }
    String where = what + " at " + hostAndPort(url);
    if (cause instanceof HttpConnectTimeoutException) {
      return ProviderFailure.transientError(where + " is unreachable: the connection timed out");
    }
    if (cause instanceof HttpTimeoutException) {
      return ProviderFailure.transientError(where + " did not answer in time");
    }
    if (cause instanceof IOException || cause instanceof UnresolvedAddressException) {
      return ProviderFailure.transientError(where + " is unreachable: " + reason(cause));
    }
    return cause instanceof RuntimeException r ? r : new IllegalStateException(cause);
  }

  public static String hostAndPort(String url) {
    try {
      URI uri = URI.create(url);
      int port =
          uri.getPort() != -1
              ? uri.getPort()
              : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
      return uri.getHost() == null ? url : uri.getHost() + ":" + port;
    } catch (IllegalArgumentException e) {
      return url;
    }
  }

  private static String reason(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
        return "unknown host";
      }
      if (t instanceof ConnectException && t.getMessage() == null) {
        return "connection refused";
      }
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        return t.getMessage();
      }
    }
    return error.getClass().getSimpleName();
  }
}
