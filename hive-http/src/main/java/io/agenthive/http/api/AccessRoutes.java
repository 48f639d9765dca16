package io.agenthive.http.api;

import static akka.http.javadsl.server.Directives.*;
import static akka.http.javadsl.server.PathMatchers.segment;

import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.Route;
import com.fasterxml.jackson.databind.JsonNode;
import io.agenthive.access.AccessState;
import io.agenthive.access.Principal;
import io.agenthive.access.Role;
import io.agenthive.http.guard.Guard;
import io.agenthive.http.guard.HttpSettings;
import io.agenthive.http.json.ApiError;
import io.agenthive.http.json.JsonBody;
import io.agenthive.http.json.JsonFields;
import io.agenthive.http.json.Responses;
import io.agenthive.security.Passwords;
import io.agenthive.security.Secrets;
import io.agenthive.security.Security;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

/**
 * Admins' {@code /api/keys} (create: the key is in this one answer only; list; revoke) and {@code
 * /api/users} (create, list, change role or password, remove). Hashes never leave.
 */
public final class AccessRoutes {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");
  private final Security security;
  private final HttpSettings settings;

  public AccessRoutes(Security security, HttpSettings settings) {
    this.security = security;
    this.settings = settings;
  }

  record KeyJson(
      String id,
      String name,
      String role,
      Instant createdAt,
      String createdBy,
      Instant revokedAt,
      String key) {
    static KeyJson of(AccessState.Key k, String text) {
      return new KeyJson(
          k.id(), k.name(), k.role().label(), k.createdAt(), k.createdBy(), k.revokedAt(), text);
    }
  }

  record UserJson(String username, String role, Instant createdAt) {
    static UserJson of(AccessState.User u) {
      return new UserJson(u.username(), u.role().label(), u.createdAt());
    }
  }

  public Route route(String requestId) {
    return concat(keys(requestId), users(requestId));
  }

  /** {@code /api/keys}: list, create (its text answered once), revoke. */
  private Route keys(String requestId) {
    return pathPrefix(
        "keys",
        () ->
            concat(
                pathEnd(
                    () ->
                        concat(
                            get(() -> listKeys(requestId)),
                            post(
                                () ->
                                    callerAndSecret(
                                        (by, body) -> createKey(requestId, body, by))))),
                path(segment(), id -> delete(() -> revokeKey(requestId, id)))));
  }

  /** {@code /api/users}: list, create, change a role or password, remove. */
  private Route users(String requestId) {
    return pathPrefix(
        "users",
        () ->
            concat(
                pathEnd(
                    () ->
                        concat(
                            get(() -> listUsers(requestId)),
                            post(
                                () ->
                                    callerAndSecret(
                                        (by, body) -> createUser(requestId, body, by))))),
                path(
                    segment(),
                    name ->
                        concat(
                            patch(
                                () ->
                                    callerAndSecret(
                                        (by, body) -> changeUser(requestId, name, body, by))),
                            delete(() -> removeUser(requestId, name))))));
  }

  /** The caller and a body holding a password or key: a malformed one is refused unquoted. */
  private Route callerAndSecret(BiFunction<Principal, JsonNode, Route> inner) {
    return Guard.principal(
        by -> JsonBody.secretJson(settings.maxBodyBytes(), body -> inner.apply(by, body)));
  }

  private Route listKeys(String requestId) {
    return Responses.async(
        requestId,
        security.access().state(),
        s ->
            Responses.json(
                StatusCodes.OK,
                Map.of(
                    "items",
                    s.keys().values().stream()
                        .sorted(Comparator.comparing(AccessState.Key::createdAt))
                        .map(k -> KeyJson.of(k, null))
                        .toList())));
  }

  private Route revokeKey(String requestId, String id) {
    return Guard.principal(
        by ->
            Responses.async(
                requestId,
                security.access().revokeKey(id, by),
                k -> Responses.json(StatusCodes.OK, KeyJson.of(k, null))));
  }

  private Route listUsers(String requestId) {
    return Responses.async(
        requestId,
        security.access().state(),
        s ->
            Responses.json(
                StatusCodes.OK,
                Map.of(
                    "items",
                    s.users().values().stream()
                        .sorted(Comparator.comparing(AccessState.User::username))
                        .map(UserJson::of)
                        .toList())));
  }

  private Route removeUser(String requestId, String name) {
    return Guard.principal(
        by ->
            Responses.async(
                requestId,
                security.access().removeUser(name, by),
                d -> Responses.json(StatusCodes.OK, Map.of("removed", name))));
  }

  private Route createKey(String requestId, JsonNode body, Principal by) {
    JsonFields f = JsonFields.of(body);
    f.rejectUnknown(Set.of("name", "role"));
    String name = f.string("name");
    if (name == null || !NAME.matcher(name).matches()) {
      f.error("name", "is required: 1-64 letters, digits or . _ @ -");
    }
    Role role = role(f, true);
    if (!f.errors().isEmpty()) {
      throw ApiError.invalid(f.errors());
    }
    Secrets.Issued key = Secrets.issue(Secrets.KEY_PREFIX);
    return Responses.async(
        requestId,
        security.access().createKey(key.id(), name, role, key.hash(), by),
        k -> Responses.created("/api/keys/" + k.id(), KeyJson.of(k, key.text())));
  }

  private Route createUser(String requestId, JsonNode body, Principal by) {
    JsonFields f = JsonFields.of(body);
    f.rejectUnknown(Set.of("username", "password", "role"));
    String username = f.string("username");
    if (username == null || !NAME.matcher(username).matches()) {
      f.error("username", "is required: 1-64 letters, digits or . _ @ -");
    }
    String password = password(f, true);
    Role role = role(f, true);
    if (!f.errors().isEmpty()) {
      throw ApiError.invalid(f.errors());
    }
    return Responses.async(
        requestId,
        CompletableFuture.supplyAsync(
                () -> security.passwords().hash(password), security.blocking())
            .thenCompose(hash -> security.access().createUser(username, role, hash, by)),
        u -> Responses.created("/api/users/" + u.username(), UserJson.of(u)));
  }

  private Route changeUser(String requestId, String name, JsonNode body, Principal by) {
    JsonFields f = JsonFields.of(body);
    f.rejectUnknown(Set.of("password", "role"));
    String password = password(f, false);
    Role role = role(f, false);
    if (password == null && role == null && f.errors().isEmpty()) {
      f.error("role", "give a role or a password to change");
    }
    if (!f.errors().isEmpty()) {
      throw ApiError.invalid(f.errors());
    }
    return Responses.async(
        requestId,
        CompletableFuture.supplyAsync(
                () -> password == null ? null : security.passwords().hash(password),
                security.blocking())
            .thenCompose(hash -> security.access().changeUser(name, role, hash, by)),
        u -> Responses.json(StatusCodes.OK, UserJson.of(u)));
  }

  private static Role role(JsonFields f, boolean required) {
    String text = f.string("role");
    if (text == null) {
      if (required) {
        f.error("role", "is required: viewer, operator, admin or worker");
      }
      return null;
    }
    return Role.parse(text)
        .orElseGet(
            () -> {
              f.error("role", "must be viewer, operator, admin or worker");
              return null;
            });
  }

  private static String password(JsonFields f, boolean required) {
    String password = f.string("password");
    if (password == null) {
      if (required) {
        f.error("password", "is required");
      }
      return null;
    }
    Passwords.weakness(password).ifPresent(why -> f.error("password", why));
    return password;
  }
}
