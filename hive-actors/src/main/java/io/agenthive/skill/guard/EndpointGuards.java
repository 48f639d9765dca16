package io.agenthive.skill.guard;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import io.agenthive.common.LazyHttpClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * One {@link EndpointGuard} per endpoint (scheme, host and port) per node, so every agent that
 * calls the same provider shares its breaker and rate limit; and one JDK HTTP client for the
 * built-in skills. An Akka extension: it lives and dies with the actor system.
 */
public final class EndpointGuards implements Extension {
  private final ActorSystem<?> system;
  private final ConcurrentMap<String, EndpointGuard> guards = new ConcurrentHashMap<>();
  private final LazyHttpClient http = new LazyHttpClient(Duration.ofSeconds(10));

  private EndpointGuards(ActorSystem<?> system) {
    this.system = system;
  }

  public static EndpointGuards get(ActorSystem<?> system) {
    return Id.INSTANCE.apply(system);
  }

  /** The guard of the endpoint {@code url} belongs to; the first caller's settings create it. */
  public EndpointGuard forUrl(String url, GuardSettings settings) {
    return guards.computeIfAbsent(endpointOf(url), key -> new EndpointGuard(key, system, settings));
  }

  /** Each endpoint's circuit: {@code closed}, {@code half_open} or {@code open}, for metrics. */
  public Map<String, String> circuits() {
    Map<String, String> out = new TreeMap<>();
    guards.forEach((endpoint, guard) -> out.put(endpoint, guard.circuit()));
    return out;
  }

  public HttpClient http() {
    return http.get();
  }

  /** For config checks: an absolute http or https URL with a host. */
  public static boolean isHttpUrl(String text) {
    try {
      URI u = URI.create(text);
      return ("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** The endpoint (scheme, host, port) {@code url} belongs to, as guards are keyed. */
  public static String endpointOf(String url) {
    URI u = URI.create(url);
    int port = u.getPort() >= 0 ? u.getPort() : "https".equals(u.getScheme()) ? 443 : 80;
    return u.getScheme() + "://" + u.getHost() + ":" + port;
  }

  private static final class Id extends ExtensionId<EndpointGuards> {
    static final Id INSTANCE = new Id();

    @Override
    public EndpointGuards createExtension(ActorSystem<?> system) {
      return new EndpointGuards(system);
    }
  }
}
