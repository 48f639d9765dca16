package io.agenthive.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import io.agenthive.testing.Eventually;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tokens of an external OIDC provider, whose key set a local HTTP server serves: a valid token is
 * accepted; expired, not yet valid, foreign issuer, other audience, unknown key, unsigned,
 * HMAC-signed with the public key, tampered, and role-less tokens are all 401; a key added to the
 * provider's set (rotation) is accepted without a restart.
 */
@Tag("database-neutral") // an external provider's tokens checked at the edge: the same on every
// database
class OidcTokenTest {
  static final String ISSUER = "https://idp.test/realms/ops";
  @TempDir static Path dataDir;
  static ApiTestHub hub;
  static HttpServer provider;
  static final List<RSAKey> published = new CopyOnWriteArrayList<>();
  static RSAKey signing;

  @BeforeAll
  static void start() throws Exception {
    signing = new RSAKeyGenerator(2048).keyID("k1").generate();
    published.add(signing);
    provider = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    provider.createContext(
        "/jwks",
        exchange -> {
          byte[] body =
              new JWKSet(List.copyOf(published.stream().map(RSAKey::toPublicJWK).toList()))
                  .toString()
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    provider.start();
    hub =
        ApiTestHub.start(
            "OidcTokenTest",
            dataDir,
            "hive.http.auth.oidc {\n"
                + " issuer = \""
                + ISSUER
                + "\", audience = \"agent-hive\",\n"
                + " jwks-url = \"http://127.0.0.1:"
                + provider.getAddress().getPort()
                + "/jwks\",\n"
                + " roles-claim = \"realm_access.roles\", role-mapping { hive-admin = admin, hive-viewer = viewer },\n"
                + " jwks-refresh-min-interval = 100ms }");
  }

  @AfterAll
  static void stop() {
    hub.stop();
    provider.stop(0);
  }

  static JWTClaimsSet.Builder claims(String subject, String role) {
    Instant now = Instant.now();
    return new JWTClaimsSet.Builder()
        .issuer(ISSUER)
        .subject(subject)
        .audience("agent-hive")
        .issueTime(Date.from(now))
        .expirationTime(Date.from(now.plusSeconds(300)))
        .claim("realm_access", Map.of("roles", List.of("offline_access", role)));
  }

  static String signed(RSAKey key, JWTClaimsSet claims) throws Exception {
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256)
                .keyID(key.getKeyID())
                .type(JOSEObjectType.JWT)
                .build(),
            claims);
    jwt.sign(new RSASSASigner(key));
    return jwt.serialize();
  }

  static int status(String token) throws Exception {
    return hub.http.as(token).get("/api/hive/status").status();
  }

  @Test
  void aValidTokenIsAcceptedWithTheMappedRole() throws Exception {
    String token = signed(signing, claims("sub-1", "hive-admin").build());
    var me = hub.http.as(token).get("/api/auth/me");
    assertEquals(200, me.status(), me.body());
    assertEquals("oidc:sub-1", me.json().get("id").asText());
    assertEquals("admin", me.json().get("role").asText());
    String viewer = signed(signing, claims("sub-2", "hive-viewer").build());
    assertEquals(200, status(viewer));
    assertEquals(403, hub.http.as(viewer).post("/api/tasks", "{\"title\": \"x\"}").status());
  }

  @Test
  void invalidTokensAreRefused() throws Exception {
    Instant now = Instant.now();
    assertEquals(
        401,
        status(
            signed(
                signing,
                claims("s", "hive-viewer")
                    .expirationTime(Date.from(now.minusSeconds(300)))
                    .build())),
        "expired");
    assertEquals(
        401,
        status(
            signed(
                signing,
                claims("s", "hive-viewer").notBeforeTime(Date.from(now.plusSeconds(300))).build())),
        "not yet valid");
    assertEquals(
        401,
        status(signed(signing, claims("s", "hive-viewer").issuer("https://evil.test").build())),
        "another issuer");
    assertEquals(
        401,
        status(signed(signing, claims("s", "hive-viewer").audience("another-app").build())),
        "another audience");
    assertEquals(
        401,
        status(
            signed(
                new RSAKeyGenerator(2048).keyID("zz").generate(),
                claims("s", "hive-viewer").build())),
        "a key the provider never published");
    assertEquals(
        401, status(new PlainJWT(claims("s", "hive-viewer").build()).serialize()), "alg none");
    SignedJWT hmac =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("k1").build(),
            claims("s", "hive-admin").build());
    hmac.sign(new MACSigner(signing.toRSAPublicKey().getEncoded()));
    assertEquals(401, status(hmac.serialize()), "HS256 keyed with the public key");
    String[] parts = signed(signing, claims("s", "hive-viewer").build()).split("\\.");
    String forged = Base64URL.encode(claims("s", "hive-admin").build().toString()).toString();
    assertEquals(401, status(parts[0] + "." + forged + "." + parts[2]), "tampered payload");
    assertEquals(
        401, status(signed(signing, claims("s", "some-other-role").build())), "no role of ours");
    // with a mapping set, a provider's group that happens to be called "admin" is not ours
    assertEquals(
        401, status(signed(signing, claims("s", "admin").build())), "an unmapped admin group");
  }

  @Test
  void aNewKeyOfTheProviderIsAcceptedWithoutARestart() throws Exception {
    assertEquals(200, status(signed(signing, claims("before", "hive-viewer").build())));
    RSAKey rotated = new RSAKeyGenerator(2048).keyID("k2").generate();
    published.add(rotated);
    String token = signed(rotated, claims("after", "hive-viewer").build());
    Eventually.eventually(
        () -> status(token) == 200 ? true : null,
        "a token signed with the provider's new key to be accepted");
  }
}
