package io.agenthive.http.guard;

import static akka.http.javadsl.server.Directives.*;

import akka.http.javadsl.model.AttributeKeys;
import akka.http.javadsl.model.HttpHeader;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.Route;
import io.agenthive.http.json.ApiError;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * A browser page may open a WebSocket to any site, and send it simple POSTs (a form), without
 * asking first: CORS governs only what the page can read back. With authentication off, a page on
 * another site could so create agents and tasks. So every WebSocket upgrade, every request that
 * changes something (POST, PUT, PATCH, DELETE) and every MCP request must come from an allowed
 * origin when it says where it comes from: the hub's own (the {@code Origin} names the host the
 * request was sent to, as a page the hub served does) or one of {@code hive.http.cors-origins}.
 * Programs (curl, SDKs, workers) send no {@code Origin} and are not concerned.
 *
 * <p>The scheme is not compared: behind a proxy that ends TLS the hub sees {@code http} where the
 * page had {@code https}, and a different scheme on the same host and port is the hub itself.
 */
public final class OriginCheck {
  private static final Set<String> CHANGING = Set.of("POST", "PUT", "PATCH", "DELETE");
  private final Set<String> allowed;

  public OriginCheck(List<String> corsOrigins) {
    this.allowed =
        corsOrigins.stream()
            .map(o -> o.toLowerCase(Locale.ROOT).replaceAll("/+$", ""))
            .collect(Collectors.toUnmodifiableSet());
  }

  public Route route(Supplier<Route> inner) {
    return extractRequest(
        request -> {
          var origin = request.getHeader("Origin").map(HttpHeader::value);
          if (origin.isEmpty() || !concerned(request) || allowed(origin.get(), request)) {
            return inner.get();
          }
          throw new ApiError(
              StatusCodes.FORBIDDEN,
              "origin_not_allowed",
              (upgrade(request) ? "a WebSocket" : "a request that changes the hive")
                  + " from a page of another origin is refused: only the hub's own pages and"
                  + " hive.http.cors-origins (HIVE_CORS_ORIGINS) may; programs send no Origin",
              List.of(),
              null);
        });
  }

  private boolean allowed(String origin, HttpRequest request) {
    String o = origin.trim().toLowerCase(Locale.ROOT);
    if (allowed.contains(o)) {
      return true;
    }
    int scheme = o.indexOf("://");
    String host = request.getHeader("Host").map(HttpHeader::value).orElse("");
    return scheme > 0
        && !host.isEmpty()
        && o.substring(scheme + 3).equals(host.toLowerCase(Locale.ROOT));
  }

  private static boolean concerned(HttpRequest request) {
    return CHANGING.contains(request.method().name())
        || upgrade(request)
        || request.getUri().path().equals("/mcp");
  }

  private static boolean upgrade(HttpRequest request) {
    return request.getAttribute(AttributeKeys.webSocketUpgrade).isPresent()
        || request.getHeader("Upgrade").isPresent();
  }
}
