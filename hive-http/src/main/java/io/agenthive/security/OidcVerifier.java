package io.agenthive.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.agenthive.access.Principal;
import io.agenthive.access.Role;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bearer tokens from an external OpenID Connect provider (Keycloak, Auth0, Entra ID...). The
 * signature is checked against the issuer's JWKS (fetched, cached, fetched again, rate-limited,
 * when a token names an unknown key); only asymmetric algorithms are accepted, so neither {@code
 * alg: none} nor an HMAC "signed" with the public key gets through. {@code iss} must match exactly,
 * {@code aud} must contain the configured audience, {@code exp}/{@code nbf} hold within the
 * configured skew. The role comes from a configurable claim. May block on the network: call it off
 * the HTTP threads.
 */
public final class OidcVerifier {
  /** A discovery document is a few KiB; more is not one. */
  static final int MAX_DISCOVERY_BYTES = 64 * 1024;

  private static final Logger log = LoggerFactory.getLogger(OidcVerifier.class);
  private static final Set<JWSAlgorithm> ASYMMETRIC =
      Set.of(
          JWSAlgorithm.RS256,
          JWSAlgorithm.RS384,
          JWSAlgorithm.RS512,
          JWSAlgorithm.PS256,
          JWSAlgorithm.PS384,
          JWSAlgorithm.PS512,
          JWSAlgorithm.ES256,
          JWSAlgorithm.ES384,
          JWSAlgorithm.ES512);

  private final SecuritySettings.Oidc settings;
  private volatile DefaultJWTProcessor<SecurityContext> processor;

  /** A verified token: who, with which role, until when. */
  public record Verified(Principal principal, Instant expiresAt) {}

  public OidcVerifier(SecuritySettings.Oidc settings) {
    if (settings.audience().isEmpty()) {
      throw new IllegalArgumentException(
          "hive.http.auth.oidc.audience (HIVE_OIDC_AUDIENCE) must"
              + " be set when an OIDC issuer is: tokens for other applications must be refused");
    }
    this.settings = settings;
  }

  public String issuer() {
    return settings.issuer();
  }

  /** The principal, or null when the token is not valid for this hub. */
  public Verified verify(String token) {
    try {
      SignedJWT jwt = SignedJWT.parse(token);
      JWTClaimsSet claims = processor().process(jwt, null);
      Role role = role(claims);
      if (role == null) {
        log.debug("OIDC token of [{}] carries no role this hub knows", claims.getSubject());
        return null;
      }
      return new Verified(
          new Principal(Principal.Kind.OIDC, claims.getSubject(), role),
          claims.getExpirationTime().toInstant());
    } catch (IOException e) {
      log.warn("OIDC keys of [{}] could not be fetched: {}", settings.issuer(), e.getMessage());
      return null;
    } catch (Exception e) {
      return null;
    }
  }

  private DefaultJWTProcessor<SecurityContext> processor() throws IOException {
    DefaultJWTProcessor<SecurityContext> p = processor;
    if (p == null) {
      synchronized (this) {
        if (processor == null) {
          processor = build(jwksUrl());
        }
        p = processor;
      }
    }
    return p;
  }

  private DefaultJWTProcessor<SecurityContext> build(URL jwks) {
    JWKSource<SecurityContext> keys =
        JWKSourceBuilder.<SecurityContext>create(jwks)
            .cache(
                settings.jwksCacheTtl().toMillis(), JWKSourceBuilder.DEFAULT_CACHE_REFRESH_TIMEOUT)
            .rateLimited(settings.jwksRefreshMinInterval().toMillis())
            .build();
    DefaultJWTProcessor<SecurityContext> p = new DefaultJWTProcessor<>();
    p.setJWSKeySelector(new JWSVerificationKeySelector<>(ASYMMETRIC, keys));
    DefaultJWTClaimsVerifier<SecurityContext> claims =
        new DefaultJWTClaimsVerifier<>(
            Set.of(settings.audience()),
            new JWTClaimsSet.Builder().issuer(settings.issuer()).build(),
            Set.of("sub", "exp"),
            null);
    claims.setMaxClockSkew((int) settings.clockSkew().toSeconds());
    p.setJWTClaimsSetVerifier(claims);
    return p;
  }

  /** The configured URL, or the one the provider's discovery document names. */
  private URL jwksUrl() throws IOException {
    try {
      if (!settings.jwksUrl().isEmpty()) {
        return URI.create(settings.jwksUrl()).toURL();
      }
      String discovery =
          settings.issuer().replaceAll("/+$", "") + "/.well-known/openid-configuration";
      HttpResponse<java.io.InputStream> r =
          HttpClient.newBuilder()
              .connectTimeout(Duration.ofSeconds(5))
              .build()
              .send(
                  HttpRequest.newBuilder(URI.create(discovery))
                      .timeout(Duration.ofSeconds(10))
                      .build(),
                  HttpResponse.BodyHandlers.ofInputStream());
      byte[] body;
      try (java.io.InputStream in = r.body()) {
        // read while it streams in, never past the bound: a provider (or whoever answers at its
        // address) sending an endless document costs 64 KiB, not the heap; and within the
        // request's 10 s, not as long as a trickle lasts (callers wait for these keys)
        java.util.concurrent.CompletableFuture<byte[]> read =
            java.util.concurrent.CompletableFuture.supplyAsync(
                () -> {
                  try {
                    return in.readNBytes(MAX_DISCOVERY_BYTES + 1);
                  } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                  }
                });
        try {
          body = read.get(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
          throw new IOException(discovery + " did not send its document within 10 s");
        } catch (java.util.concurrent.ExecutionException e) {
          throw new IOException(discovery + " could not be read: " + e.getCause().getMessage());
        }
      }
      if (body.length > MAX_DISCOVERY_BYTES) {
        throw new IOException(
            discovery + " answered more than " + MAX_DISCOVERY_BYTES + " bytes: not a discovery");
      }
      JsonNode uri = new ObjectMapper().readTree(body).path("jwks_uri");
      if (r.statusCode() != 200 || !uri.isTextual()) {
        throw new IOException(discovery + " answered " + r.statusCode() + " without jwks_uri");
      }
      return URI.create(uri.asText()).toURL();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while asking the OIDC provider", e);
    }
  }

  /** The highest of the token's roles this hub knows (a worker role only if it is the only). */
  private Role role(JWTClaimsSet claims) {
    Object value = claims.getClaims();
    for (String part : settings.rolesClaim().split("\\.")) {
      value = value instanceof Map<?, ?> m ? m.get(part) : null;
    }
    List<String> names = new ArrayList<>();
    if (value instanceof String s) {
      names.addAll(List.of(s.split("[ ,]+")));
    } else if (value instanceof List<?> list) {
      list.forEach(v -> names.add(String.valueOf(v)));
    }
    Role best = null;
    for (String name : names) {
      Role r =
          // with a mapping configured only the mapping names roles: a provider's group that
          // happens to be called "admin" must not become ours
          settings.roleMapping().isEmpty()
              ? Role.parse(name).orElse(null)
              : settings.roleMapping().get(name);
      if (r != null
          && (best == null || best == Role.WORKER || (r != Role.WORKER && r.covers(best)))) {
        best = r;
      }
    }
    return best;
  }
}
