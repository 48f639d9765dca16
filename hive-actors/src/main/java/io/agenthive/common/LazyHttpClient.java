package io.agenthive.common;

import java.net.http.HttpClient;
import java.time.Duration;

/**
 * A JDK HTTP client made at its first use. Building one initialises the JDK's TLS stack, about 0.3
 * s of a cold start on two cores; the hub's outgoing calls (the http and a2a skills, A2A push
 * notifications) are made by few hubs, so their clients wait for the first call.
 */
public final class LazyHttpClient {
  private final Duration connectTimeout;
  private volatile HttpClient client;

  public LazyHttpClient(Duration connectTimeout) {
    this.connectTimeout = connectTimeout;
  }

  public HttpClient get() {
    HttpClient made = client;
    if (made == null) {
      synchronized (this) {
        made = client;
        if (made == null) {
          made = HttpClient.newBuilder().connectTimeout(connectTimeout).build();
          client = made;
        }
      }
    }
    return made;
  }
}
