package io.agenthive.caller;

import static akka.http.javadsl.server.Directives.extractRequest;

import akka.http.javadsl.model.AttributeKey;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.server.Route;
import io.agenthive.access.Principal;
import java.util.Optional;
import java.util.function.Function;

/**
 * Who is calling a request, as the guard found it: its principal and {@link LiveAccess} travel on
 * as request attributes. Outside both the HTTP route tree and MCP, because both read them: the
 * guard ({@code io.agenthive.http.guard}) writes them and MCP, mounted by the HTTP tree, reads
 * them, so neither tree has to reach back into the other.
 */
public final class Caller {
  private static final AttributeKey<Principal> PRINCIPAL =
      AttributeKey.create("principal", Principal.class);
  private static final AttributeKey<LiveAccess> LIVE_ACCESS =
      AttributeKey.create("live-access", LiveAccess.class);

  private Caller() {}

  /** {@code request} as the guard admitted it: by {@code caller}, for as long as {@code live}. */
  public static HttpRequest admitted(HttpRequest request, Principal caller, LiveAccess live) {
    return request.addAttribute(PRINCIPAL, caller).addAttribute(LIVE_ACCESS, live);
  }

  /**
   * The check a long-lived connection repeats to learn whether its caller may still be served
   * ({@link LiveAccess#cut}): the same credentials, authenticated again, with a role that still
   * covers the operation.
   */
  public static Route liveAccess(Function<LiveAccess, Route> inner) {
    return extractRequest(r -> inner.apply(r.getAttribute(LIVE_ACCESS).orElse(LiveAccess.ALWAYS)));
  }

  /** The caller of this request, as the guard found it. */
  public static Route principal(Function<Principal, Route> inner) {
    return extractRequest(
        r ->
            inner.apply(
                r.getAttribute(PRINCIPAL)
                    .orElseThrow(
                        () ->
                            new IllegalStateException(
                                "a route outside the guard asked for its caller"))));
  }

  /** The credential of an {@code Authorization: Bearer} header, if there is one. */
  public static Optional<String> bearer(HttpRequest request) {
    return request
        .getHeader("Authorization")
        .map(h -> h.value())
        .filter(v -> v.regionMatches(true, 0, "Bearer ", 0, 7))
        .map(v -> v.substring(7).trim())
        .filter(v -> !v.isEmpty());
  }
}
