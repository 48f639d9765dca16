package io.agenthive.http.guard;

import static akka.http.javadsl.server.Directives.*;

import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.server.Route;
import io.agenthive.http.json.ApiError;
import java.util.function.Supplier;

/**
 * No control character (U+0000 to U+001F, U+007F) in a request's path or query, once decoded: no
 * id, name or filter of the hive holds one. A {@code %00} in an id reached the journal as a
 * persistence id PostgreSQL refuses; the entity's recovery then failed again and again and opened
 * the journal's circuit breaker for every other entity of the node. Refused here, before anything
 * looks the id up.
 */
public final class UriCheck {
  private UriCheck() {}

  public static Route route(Supplier<Route> inner) {
    return extractRequest(
        request -> {
          if (clean(request)) {
            return inner.get();
          }
          throw ApiError.badRequest(
              "bad_uri",
              "the path or query holds a control character (%00 to %1F, %7F);"
                  + " no id, name or filter of the hive does");
        });
  }

  private static boolean clean(HttpRequest request) {
    for (String segment : request.getUri().pathSegments()) { // decoded: path() keeps the %00
      if (!clean(segment)) {
        return false;
      }
    }
    for (var p : request.getUri().query().toList()) {
      if (!clean(p.first()) || !clean(p.second())) {
        return false;
      }
    }
    return true;
  }

  private static boolean clean(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7F) {
        return false;
      }
    }
    return true;
  }
}
