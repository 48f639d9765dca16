package io.agenthive.http.api;

import static akka.http.javadsl.server.Directives.*;

import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.Route;
import io.agenthive.access.AccessState;
import io.agenthive.access.Principal;
import io.agenthive.common.Failures;
import io.agenthive.common.HiveException;
import io.agenthive.http.guard.Guard;
import io.agenthive.http.guard.HttpSettings;
import io.agenthive.http.json.ApiError;
import io.agenthive.http.json.JsonBody;
import io.agenthive.http.json.JsonFields;
import io.agenthive.http.json.Responses;
import io.agenthive.security.HubTokens;
import io.agenthive.security.Secrets;
import io.agenthive.security.Security;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * {@code /api/auth}: {@code login} (username and password → a short-lived access token and a
 * refresh token), {@code refresh} (a refresh token is used once and replaced), {@code logout}
 * (revokes a refresh token), {@code me}. The paths and the fields the seed hub's dashboard reads
 * ({@code token}, {@code refresh_token}, {@code expires_in}, {@code user.roles}) are kept.
 */
public final class AuthRoutes {
  private final Security security;
  private final HttpSettings settings;

  public AuthRoutes(Security security, HttpSettings settings) {
    this.security = security;
    this.settings = settings;
  }

  record UserJson(String id, String username, String kind, String role, List<String> roles) {
    static UserJson of(Principal p) {
      return new UserJson(
          p.label(),
          p.id(),
          p.kind().name().toLowerCase(java.util.Locale.ROOT),
          p.role().label(),
          List.of(p.role().label()));
    }
  }

  record TokensJson(
      String token,
      String accessToken,
      String tokenType,
      long expiresIn,
      String refreshToken,
      Instant refreshExpiresAt,
      UserJson user) {}

  public Route route(String requestId) {
    return pathPrefix(
        "auth",
        () ->
            concat(
                path("login", () -> post(() -> loginRoute(requestId))),
                path("refresh", () -> post(() -> refreshRoute(requestId))),
                path("logout", () -> post(() -> logoutRoute(requestId))),
                path("me", () -> get(this::meRoute))));
  }

  /** Fields checked (and the password bounded) before any user is looked up. */
  private Route loginRoute(String requestId) {
    return extractRequest(
        request ->
            JsonBody.secretJson(
                settings.maxBodyBytes(),
                body -> {
                  JsonFields f = JsonFields.of(body);
                  f.rejectUnknown(Set.of("username", "password", "client_type"));
                  String username = bounded(f, "username", settings.maxNameChars());
                  String password = bounded(f, "password", MAX_PASSWORD);
                  if (!f.errors().isEmpty()) {
                    throw ApiError.invalid(f.errors());
                  }
                  return Responses.async(
                      requestId,
                      login(username, password, Guard.address(request)),
                      t -> Responses.json(StatusCodes.OK, t));
                }));
  }

  private Route refreshRoute(String requestId) {
    return JsonBody.secretJson(
        settings.maxBodyBytes(),
        body -> {
          String token = refreshToken(body);
          return Responses.async(requestId, refresh(token), t -> Responses.json(StatusCodes.OK, t));
        });
  }

  /** A token that is not even well formed is logged out already: success all the same. */
  private Route logoutRoute(String requestId) {
    return JsonBody.secretJson(
        settings.maxBodyBytes(),
        body -> {
          var parsed = Secrets.parse(Secrets.REFRESH_PREFIX, refreshToken(body));
          CompletionStage<?> done =
              parsed
                  .<CompletionStage<?>>map(
                      t -> security.access().revokeRefresh(t.id(), t.hash(), "logout"))
                  .orElseGet(() -> CompletableFuture.completedFuture(null));
          return Responses.async(
              requestId,
              done,
              d -> Responses.json(StatusCodes.OK, java.util.Map.of("success", true)));
        });
  }

  private Route meRoute() {
    return Guard.principal(p -> complete(Responses.json(StatusCodes.OK, UserJson.of(p))));
  }

  private CompletionStage<TokensJson> login(String username, String password, String address) {
    var blocked = security.loginThrottle().tryLogin(username, address);
    if (blocked.isPresent()) {
      long seconds = Math.max(1, blocked.get().toSeconds());
      return CompletableFuture.failedFuture(
          new ApiError(
              StatusCodes.TOO_MANY_REQUESTS,
              "too_many_logins",
              "too many login attempts; retry in " + seconds + " s",
              List.of(),
              (int) seconds));
    }
    return security
        .access()
        .state()
        .thenApplyAsync(
            state -> {
              AccessState.User user = state.users().get(username);
              boolean ok =
                  security.passwords().matches(password, user == null ? null : user.passwordHash());
              if (!ok) {
                // an unknown username is often a password typed in the wrong field
                security
                    .access()
                    .recordFailedLogin(user == null ? digest(username) : username, address);
                throw new ApiError(
                    StatusCodes.UNAUTHORIZED,
                    "invalid_credentials",
                    "unknown username or wrong password",
                    List.of(),
                    null);
              }
              security.loginThrottle().succeeded(username, address);
              return user;
            },
            security.blocking())
        .thenCompose(this::tokensFor);
  }

  private CompletionStage<TokensJson> refresh(String token) {
    var parsed = Secrets.parse(Secrets.REFRESH_PREFIX, token);
    if (parsed.isEmpty()) {
      return CompletableFuture.failedFuture(invalidRefresh());
    }
    Secrets.Issued next = Secrets.issue(Secrets.REFRESH_PREFIX);
    Instant expires = security.clock().instant().plus(security.settings().refreshTokenTtl());
    return security
        .access()
        .rotateRefresh(parsed.get().id(), parsed.get().hash(), next.id(), next.hash(), expires)
        .exceptionally(
            e -> {
              Throwable cause = Failures.cause(e);
              throw cause instanceof HiveException h && h.kind() == HiveException.Kind.NOT_FOUND
                  ? invalidRefresh()
                  : new CompletionException(cause);
            })
        .thenApply(user -> tokens(user, next, expires));
  }

  private CompletionStage<TokensJson> tokensFor(AccessState.User user) {
    Secrets.Issued refresh = Secrets.issue(Secrets.REFRESH_PREFIX);
    Instant expires = security.clock().instant().plus(security.settings().refreshTokenTtl());
    return security
        .access()
        .issueRefresh(refresh.id(), user.username(), refresh.hash(), expires)
        .thenApply(d -> tokens(user, refresh, expires));
  }

  private TokensJson tokens(AccessState.User user, Secrets.Issued refresh, Instant expires) {
    HubTokens.Issued access = security.hubTokens().issue(user.username(), user.role());
    long expiresIn = Duration.between(security.clock().instant(), access.expiresAt()).toSeconds();
    return new TokensJson(
        access.token(),
        access.token(),
        "Bearer",
        expiresIn,
        refresh.text(),
        expires,
        UserJson.of(new Principal(Principal.Kind.USER, user.username(), user.role())));
  }

  private static String refreshToken(com.fasterxml.jackson.databind.JsonNode body) {
    JsonFields f = JsonFields.of(body);
    f.rejectUnknown(Set.of("refresh_token", "session_id"));
    String token = f.has("refresh_token") ? f.string("refresh_token") : f.string("session_id");
    if (token == null && f.errors().isEmpty()) {
      f.error("refresh_token", "is required");
    }
    if (!f.errors().isEmpty()) {
      throw ApiError.invalid(f.errors());
    }
    return token;
  }

  /**
   * Longer than any password a person types; bcrypt reads only the first 72 bytes anyway, so a
   * longer one is refused rather than hashed.
   */
  static final int MAX_PASSWORD = 1024;

  /** Required, and at most {@code max} characters: a username is journaled on a failed login. */
  private static String bounded(JsonFields f, String field, int max) {
    String value = required(f, field);
    if (value != null && value.length() > max) {
      f.error(field, "must be at most " + max + " characters");
      return null;
    }
    return value;
  }

  /** What the journal keeps of a username that names no user: a digest, never the text. */
  static String digest(String username) {
    try {
      byte[] d =
          java.security.MessageDigest.getInstance("SHA-256")
              .digest(username.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return "sha256:" + java.util.HexFormat.of().formatHex(d, 0, 8);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  private static String required(JsonFields f, String field) {
    String value = f.string(field);
    if (value == null || value.isEmpty()) {
      f.error(field, "is required");
    }
    return value;
  }

  private static ApiError invalidRefresh() {
    return new ApiError(
        StatusCodes.UNAUTHORIZED,
        "invalid_refresh_token",
        "the refresh token is unknown, used, revoked or expired; log in again",
        List.of(),
        null);
  }
}
