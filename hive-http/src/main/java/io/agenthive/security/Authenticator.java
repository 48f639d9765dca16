package io.agenthive.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTParser;
import io.agenthive.access.AccessRegistry;
import io.agenthive.access.AccessState;
import io.agenthive.access.Principal;
import io.agenthive.access.Role;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Turns a bearer credential into a principal: an API key ({@code hk_...}, checked against this
 * node's key ring), a configured worker token, the hub's own access token (a local user's), or an
 * external OIDC provider's token. Verified tokens are remembered until they expire, so a signature
 * is checked once per token, not once per request; a local user's current role is still read from
 * the key ring each time, so a removed or demoted user loses access at once.
 *
 * <p>Refusing must cost less than guessing: a token of the hub's issuer is first looked at without
 * its signature ({@link HubTokens#couldBeOurs}), a token refused lately is refused again from a
 * cache, and the guard lets a signature be checked only while the caller's address has requests
 * left ({@link Throttled}).
 */
public final class Authenticator {

  /** What a credential turned out to be. */
  public sealed interface Result permits Authenticated, Refused, Starting, Throttled {}

  public record Authenticated(Principal principal) implements Result {}

  /** Bad, unknown, revoked or expired credentials: a 401 saying why, without echoing them. */
  public record Refused(String reason) implements Result {}

  /** This node has not heard the key ring yet: a 503, retry in a moment. */
  public record Starting() implements Result {}

  /**
   * A token that only a signature check (or its provider's keys) could tell, from a caller that may
   * not have one now (its address sent too many bad credentials): a 429, checked later.
   */
  public record Throttled() implements Result {}

  private final Supplier<AccessRegistry.KeyRing> ring;
  private final HubTokens hubTokens;
  private final OidcVerifier oidc;
  private final List<byte[]> workerTokens;
  private final Executor blocking;
  private final Clock clock;
  private final Cache<String, Verified> verified =
      Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(Duration.ofMinutes(10)).build();

  /**
   * Tokens refused lately, by their SHA-256 (a token may be kilobytes), with why: one sent again is
   * refused at the cost of a hash. Only refusals that never turn are kept: not a JWT, an issuer not
   * accepted, one of the hub's own that is forged or expired (our key and our clock decided). An
   * OIDC provider's tokens are not kept: its keys may be changing.
   */
  private final Cache<String, String> refused =
      Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(Duration.ofMinutes(10)).build();

  private record Verified(Principal principal, Instant expiresAt) {}

  public Authenticator(
      Supplier<AccessRegistry.KeyRing> ring,
      HubTokens hubTokens,
      OidcVerifier oidc,
      List<String> workerTokens,
      Executor blocking,
      Clock clock) {
    this.ring = ring;
    this.hubTokens = hubTokens;
    this.oidc = oidc;
    this.workerTokens = workerTokens.stream().map(t -> t.getBytes(StandardCharsets.UTF_8)).toList();
    this.blocking = blocking;
    this.clock = clock;
  }

  /** {@link #authenticate(String, BooleanSupplier)} for a caller that may always be checked. */
  public CompletionStage<Result> authenticate(String credential) {
    return authenticate(credential, () -> true);
  }

  /**
   * At once for keys and known tokens; an OIDC token not seen before is checked off-thread. A token
   * whose signature would have to be checked is checked only if {@code mayVerify} says so, else it
   * is {@link Throttled}: the guard asks whether the caller's address still has requests left.
   */
  public CompletionStage<Result> authenticate(String credential, BooleanSupplier mayVerify) {
    if (credential.startsWith(Secrets.KEY_PREFIX + "_")) {
      return done(apiKey(credential));
    }
    if (isWorkerToken(credential)) {
      return done(
          new Authenticated(new Principal(Principal.Kind.KEY, "worker-token", Role.WORKER)));
    }
    Verified known = verified.getIfPresent(credential);
    if (known != null) {
      return done(current(known));
    }
    String digest = Secrets.sha256(credential);
    String refusedBefore = refused.getIfPresent(digest);
    if (refusedBefore != null) {
      return done(new Refused(refusedBefore));
    }
    JWT jwt = parse(credential);
    String issuer = issuerOf(jwt);
    if (issuer == null) {
      return done(refuse(digest, "the credentials are not an API key or a token this hub knows"));
    }
    if (issuer.equals(hubTokens.issuer())) {
      return done(hubToken(credential, jwt, digest, mayVerify));
    }
    if (oidc != null && issuer.equals(oidc.issuer())) {
      return mayVerify.getAsBoolean() ? oidcToken(credential) : done(new Throttled());
    }
    return done(refuse(digest, "tokens from this issuer are not accepted here"));
  }

  private Result hubToken(String credential, JWT jwt, String digest, BooleanSupplier mayVerify) {
    String invalid = "the access token is invalid or expired; log in again";
    if (!hubTokens.couldBeOurs(jwt)) {
      return refuse(digest, invalid);
    }
    if (!mayVerify.getAsBoolean()) {
      return new Throttled();
    }
    HubTokens.Claims claims = hubTokens.verify(credential);
    if (claims == null) {
      return refuse(digest, invalid);
    }
    return remember(
        credential,
        new Verified(
            new Principal(
                claims.agent() ? Principal.Kind.AGENT : Principal.Kind.USER,
                claims.username(),
                claims.role()),
            claims.expiresAt()));
  }

  private CompletionStage<Result> oidcToken(String credential) {
    return CompletableFuture.supplyAsync(
        () -> {
          OidcVerifier.Verified v = oidc.verify(credential);
          return v == null
              ? new Refused("the token is not valid for this hub")
              : remember(credential, new Verified(v.principal(), v.expiresAt()));
        },
        blocking);
  }

  private Result refuse(String digest, String reason) {
    refused.put(digest, reason);
    return new Refused(reason);
  }

  private static CompletionStage<Result> done(Result result) {
    return CompletableFuture.completedFuture(result);
  }

  private Result remember(String credential, Verified v) {
    verified.put(credential, v);
    return current(v);
  }

  /** A remembered token, as of now: expired, or a local user since removed or re-roled. */
  private Result current(Verified v) {
    if (!clock.instant().isBefore(v.expiresAt())) {
      return new Refused("the token has expired");
    }
    if (v.principal().kind() != Principal.Kind.USER) {
      return new Authenticated(v.principal());
    }
    AccessRegistry.KeyRing keys = ring.get();
    if (keys == null) {
      return new Starting();
    }
    Role role = keys.userRoles().get(v.principal().id());
    return role == null
        ? new Refused("the user no longer exists")
        : new Authenticated(new Principal(Principal.Kind.USER, v.principal().id(), role));
  }

  private Result apiKey(String text) {
    var parsed = Secrets.parse(Secrets.KEY_PREFIX, text);
    if (parsed.isEmpty()) {
      return new Refused("the API key is malformed");
    }
    AccessRegistry.KeyRing keys = ring.get();
    if (keys == null) {
      return new Starting();
    }
    AccessState.Key key = keys.keys().get(parsed.get().id());
    if (key == null || !Secrets.sameHash(key.secretHash(), parsed.get().hash())) {
      return new Refused("unknown API key");
    }
    if (key.revoked()) {
      return new Refused("the API key was revoked");
    }
    return new Authenticated(new Principal(Principal.Kind.KEY, key.id(), key.role()));
  }

  private boolean isWorkerToken(String credential) {
    byte[] given = credential.getBytes(StandardCharsets.UTF_8);
    boolean match = false;
    for (byte[] token : workerTokens) {
      match |= MessageDigest.isEqual(given, token);
    }
    return match;
  }

  /** The token, unverified, to pick its verifier; null when it is no JWT. */
  private static JWT parse(String credential) {
    try {
      return JWTParser.parse(credential);
    } catch (Exception e) {
      return null;
    }
  }

  private static String issuerOf(JWT jwt) {
    try {
      return jwt == null ? null : jwt.getJWTClaimsSet().getIssuer();
    } catch (Exception e) {
      return null;
    }
  }
}
