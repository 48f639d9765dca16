package io.agenthive.http.guard;

import static akka.http.javadsl.server.Directives.*;

import akka.http.javadsl.model.AttributeKeys;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.Query;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.Route;
import io.agenthive.access.Principal;
import io.agenthive.access.Role;
import io.agenthive.caller.Caller;
import io.agenthive.caller.LiveAccess;
import io.agenthive.http.json.ApiError;
import io.agenthive.security.AccessPolicy;
import io.agenthive.security.Authenticator;
import io.agenthive.security.Security;
import io.agenthive.security.SecuritySettings;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Checks every request before a route sees it: who is calling (Authorization: Bearer, or an {@code
 * access_token} query parameter for browsers' WebSockets and event streams), whether the {@link
 * AccessPolicy} lets that role call this operation (401 without valid credentials, 403 with a role
 * too small), and the caller's rate limit (429 with Retry-After). Each 401 takes a request from its
 * address's bucket (the anonymous limit), and a token needing a signature check is checked only
 * while that bucket has some left: a flood of bad credentials from one address gets 429s, cheaply.
 * The principal travels on as a request attribute ({@link #principal}).
 */
public final class Guard {
  private static final CompletionStage<Authenticator.Result> NONE =
      CompletableFuture.completedFuture(null);

  private final Security security;
  private final SecuritySettings settings;

  public Guard(Security security) {
    this.security = security;
    this.settings = security.settings();
  }

  /** {@link Caller#liveAccess}, for the routes behind the guard. */
  public static Route liveAccess(java.util.function.Function<LiveAccess, Route> inner) {
    return Caller.liveAccess(inner);
  }

  /** {@link Caller#principal}, for the routes behind the guard. */
  public static Route principal(java.util.function.Function<Principal, Route> inner) {
    return Caller.principal(inner);
  }

  public Route route(Supplier<Route> inner) {
    return extractRequest(
        request -> {
          String path = request.getUri().path();
          String method = request.method().name();
          Optional<AccessPolicy.Access> access = security.policy().accessFor(method, path);
          boolean open = access.map(AccessPolicy.Access::open).orElse(false);
          if (open && (path.equals("/health") || path.equals("/ready"))) {
            return inner.get(); // probes: never limited, never refused
          }
          Optional<String> credential = credential(request, path);
          String address = "addr:" + address(request);
          CompletionStage<Authenticator.Result> result =
              credential
                  .map(c -> security.authenticator().authenticate(c, () -> mayVerify(address)))
                  .orElse(NONE);
          CompletableFuture<Authenticator.Result> now = result.toCompletableFuture();
          if (now.isDone()) {
            // keys and known tokens are answered at once: no asynchronous hop for them
            return admit(now.getNow(null), access, credential, open, request, inner);
          }
          return onSuccess(result, found -> admit(found, access, credential, open, request, inner));
        });
  }

  private Route admit(
      Authenticator.Result found,
      Optional<AccessPolicy.Access> access,
      Optional<String> credential,
      boolean open,
      HttpRequest request,
      Supplier<Route> inner) {
    String address = "addr:" + address(request);
    if (found instanceof Authenticator.Throttled) {
      throw badCredentialsLimited(
          security.rateLimiter().peek(address, settings.anonymousLimit()).orElse(1));
    }
    Principal caller;
    try {
      caller = decide(found, access, open, credential.isPresent());
    } catch (ApiError e) {
      if (e.status().intValue() == 401) {
        // a 401 costs its address a request: guessing credentials from one address is throttled
        OptionalLong wait = security.rateLimiter().acquire(address, settings.anonymousLimit());
        if (wait.isPresent()) {
          throw badCredentialsLimited(wait.getAsLong());
        }
      }
      throw e;
    }
    OptionalLong wait = limit(caller, request);
    if (wait.isPresent()) {
      throw new ApiError(
          StatusCodes.TOO_MANY_REQUESTS,
          "rate_limited",
          "too many requests; retry in " + wait.getAsLong() + " s",
          List.of(),
          (int) wait.getAsLong());
    }
    LiveAccess live =
        caller == null || credential.isEmpty()
            ? LiveAccess.ALWAYS
            : liveAccess(credential.get(), caller.role());
    return mapRequest(
        r -> withoutCredentials(caller == null ? r : Caller.admitted(r, caller, live)), inner);
  }

  /**
   * Still the same role: a connection whose caller lost its key, user or token ends, and so does
   * one whose role changed (a demoted admin's dashboard socket must not go on creating agents; it
   * reconnects with the role it has now). While the hub is still reading its keys, it stays.
   */
  private LiveAccess liveAccess(String credential, Role opened) {
    return new LiveAccess(
        () ->
            security
                .authenticator()
                .authenticate(credential)
                .thenApply(
                    r ->
                        r instanceof Authenticator.Starting
                            || (r instanceof Authenticator.Authenticated a
                                && a.principal().role() == opened)));
  }

  /** The caller, or a 401/403/503; null for an open route called without credentials. */
  private Principal decide(
      Authenticator.Result found,
      Optional<AccessPolicy.Access> access,
      boolean open,
      boolean presented) {
    if (found instanceof Authenticator.Starting) {
      throw new ApiError(
          StatusCodes.SERVICE_UNAVAILABLE,
          "starting",
          "the hub is still reading its keys; retry in a moment",
          List.of(),
          1);
    }
    if (found instanceof Authenticator.Refused refused && !open) {
      throw unauthorized(refused.reason());
    }
    Principal caller = found instanceof Authenticator.Authenticated a ? a.principal() : null;
    if (caller == null && !settings.enabled()) {
      caller = Principal.ANONYMOUS;
      if (access.map(a -> a.role() == Role.WORKER).orElse(false)) {
        // a worker still needs a worker token or key, as before authentication existed
        throw unauthorized(
            presented
                ? "unknown worker token"
                : "a worker token is required (HIVE_WORKER_TOKEN, or a key with role worker)");
      }
    }
    if (open) {
      return caller;
    }
    if (caller == null) {
      throw unauthorized("credentials are required: Authorization: Bearer <API key or token>");
    }
    Role needed = access.map(AccessPolicy.Access::role).orElse(null);
    if (needed != null && !caller.role().covers(needed)) {
      throw new ApiError(
          StatusCodes.FORBIDDEN,
          "forbidden",
          "role " + caller.role().label() + " may not do this; it needs " + needed.label(),
          List.of(),
          null);
    }
    return caller;
  }

  /** Routes never see a credential given in the query (nor count it as an unknown parameter). */
  private static HttpRequest withoutCredentials(HttpRequest request) {
    var query = request.getUri().query();
    if (query.get("access_token").isEmpty() && query.get("token").isEmpty()) {
      return request;
    }
    return request.withUri(
        request
            .getUri()
            .query(
                Query.create(
                    query.toList().stream()
                        .filter(
                            p -> !p.first().equals("access_token") && !p.first().equals("token"))
                        .toList())));
  }

  private OptionalLong limit(Principal caller, HttpRequest request) {
    if (caller == null) {
      return security.rateLimiter().acquire("addr:" + address(request), settings.anonymousLimit());
    }
    if (caller.kind() == Principal.Kind.ANONYMOUS) { // authentication off: admins by address
      return security
          .rateLimiter()
          .acquire("addr:" + address(request), settings.rateLimits().get(Role.ADMIN));
    }
    return security.rateLimiter().acquire(caller.label(), settings.rateLimits().get(caller.role()));
  }

  /** Whether a token may cost a signature check: while its address has requests left. */
  private boolean mayVerify(String address) {
    return security.rateLimiter().peek(address, settings.anonymousLimit()).isEmpty();
  }

  private static ApiError badCredentialsLimited(long retryAfter) {
    return new ApiError(
        StatusCodes.TOO_MANY_REQUESTS,
        "rate_limited",
        "too many requests without valid credentials from this address"
            + " (hive.http.auth.rate-limits.anonymous); retry in "
            + retryAfter
            + " s",
        List.of(),
        (int) retryAfter);
  }

  public static String address(HttpRequest request) {
    return request
        .getAttribute(AttributeKeys.remoteAddress)
        .flatMap(a -> a.getAddress())
        .map(a -> a.getHostAddress())
        .orElse("unknown");
  }

  private static ApiError unauthorized(String reason) {
    return new ApiError(StatusCodes.UNAUTHORIZED, "unauthorized", reason, List.of(), null);
  }

  /** Bearer header; else {@code access_token} (or a worker's {@code token}) in the query. */
  private static Optional<String> credential(HttpRequest request, String path) {
    Optional<String> header = Caller.bearer(request);
    if (header.isPresent()) {
      return header;
    }
    Optional<String> query = request.getUri().query().get("access_token");
    return query.isPresent() || !path.equals("/ws/worker")
        ? query
        : request.getUri().query().get("token");
  }
}
