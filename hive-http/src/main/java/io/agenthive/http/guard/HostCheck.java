package io.agenthive.http.guard;

import static akka.http.javadsl.server.Directives.*;

import akka.http.javadsl.model.HttpHeader;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.Route;
import io.agenthive.http.json.ApiError;
import io.agenthive.security.SecuritySettings;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Requests must name this hub in their {@code Host} header. A page on another site can make its own
 * name resolve to this machine (DNS rebinding); the browser then sends it requests as to its own
 * origin, with that name as the Host. With authentication off every caller is admin, so such a page
 * would be too: only the names in {@code hive.http.public-hosts} (by default the loopback ones) are
 * answered, others get 421. With authentication on, a page reached this way still has no
 * credentials (they are bearer tokens a browser does not add by itself), so the check is on only
 * when names are configured. Probes are answered whatever the name: they are called by address.
 */
public final class HostCheck {
  static final List<String> LOOPBACK = List.of("localhost", "127.0.0.1", "[::1]");
  private final List<Name> allowed;

  /** A name, and a port when it was given with one (else any port). */
  private record Name(String host, String port) {
    static Name parse(String text) {
      String t = text.trim().toLowerCase(Locale.ROOT);
      int colon = t.startsWith("[") ? t.indexOf(':', t.indexOf(']')) : t.lastIndexOf(':');
      if (colon < 0 || (!t.startsWith("[") && t.indexOf(':') != colon)) {
        return new Name(t, null); // no port, or a bare IPv6 address a Host header never carries
      }
      return new Name(t.substring(0, colon), t.substring(colon + 1));
    }

    boolean admits(Name given) {
      return host.equals(given.host) && (port == null || port.equals(given.port));
    }
  }

  private HostCheck(List<Name> allowed) {
    this.allowed = allowed;
  }

  public static HostCheck from(SecuritySettings settings) {
    List<String> names =
        !settings.publicHosts().isEmpty()
            ? settings.publicHosts()
            : settings.enabled() ? List.of() : LOOPBACK;
    return new HostCheck(names.stream().map(Name::parse).toList());
  }

  public Route route(Supplier<Route> inner) {
    return extractRequest(
        request -> {
          if (allowed.isEmpty() || isProbe(request) || admitted(request)) {
            return inner.get();
          }
          throw new ApiError(
              StatusCodes.MISDIRECTED_REQUEST,
              "host_not_allowed",
              "this hub answers only to "
                  + String.join(", ", allowed.stream().map(HostCheck::label).toList())
                  + " (hive.http.public-hosts, HIVE_PUBLIC_HOSTS), not to the host this request"
                  + " names ("
                  + shown(host(request))
                  + ")",
              List.of(),
              null);
        });
  }

  private boolean admitted(HttpRequest request) {
    Name given = Name.parse(host(request));
    return allowed.stream().anyMatch(n -> n.admits(given));
  }

  private static String host(HttpRequest request) {
    return request.getHeader("Host").map(HttpHeader::value).orElse("");
  }

  private static boolean isProbe(HttpRequest request) {
    String path = request.getUri().path();
    return path.equals("/health") || path.equals("/ready");
  }

  private static String label(Name n) {
    return n.port == null ? n.host : n.host + ":" + n.port;
  }

  /** The name as sent, if it looks like one; else not repeated back. */
  private static String shown(String host) {
    return host.matches("[A-Za-z0-9.:\\[\\]-]{1,100}") ? host : "a malformed name";
  }
}
