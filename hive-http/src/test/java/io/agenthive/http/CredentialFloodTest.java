package io.agenthive.http;

import static org.junit.jupiter.api.Assertions.*;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.file.Path;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 401s were never rate-limited, and each forged token of the hub's issuer cost a signature check
 * (issue item 10). Now each 401 takes a request from its address's bucket (the anonymous limit,
 * 20/s with bursts of 40), past which that address gets 429 with Retry-After before any signature
 * is checked; tokens that cannot be ours (another key id, expired) and tokens refused lately cost
 * no signature at all. Valid keys and tokens already verified are served throughout, from any
 * address. Each attack comes from an address of its own (127.0.0.x).
 */
@Tag("database-neutral") // the edge or the launcher's own checks: the same on every database
class CredentialFloodTest {
  static final int REFILL = 1;
  static final int BURST = 40;
  @TempDir static Path dataDir;
  static ApiTestHub hub;
  static String kid;
  static ECKey forger;

  @BeforeAll
  static void start() throws Exception {
    // a slow refill: what is counted below must not depend on how fast this machine sends (at the
    // default 20/s, a loaded machine sending 300 requests in 28 s never emptied the bucket)
    hub =
        ApiTestHub.start(
            "CredentialFloodTest",
            dataDir,
            "hive.http.auth.rate-limits.anonymous { per-second = "
                + REFILL
                + ", burst = "
                + BURST
                + " }");
    var made =
        hub.http.post(
            "/api/users",
            "{\"username\": \"carol\", \"password\": \"correct horse\", \"role\": \"viewer\"}");
    assertEquals(201, made.status(), made.body());
    kid = SignedJWT.parse(login()).getHeader().getKeyID(); // any user sees it in their token
    forger = new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
  }

  @AfterAll
  static void stop() {
    hub.stop();
  }

  static String login() throws Exception {
    var r =
        hub.http
            .as(null)
            .post("/api/auth/login", "{\"username\": \"carol\", \"password\": \"correct horse\"}");
    assertEquals(200, r.status(), r.body());
    return r.json().get("token").asText();
  }

  /** A token of the hub's issuer for an admin, signed with a key that is not the hub's. */
  static String forged(String keyId) throws Exception {
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .issuer("agent-hive")
            .subject("mallory")
            .claim("role", "admin")
            .issueTime(new Date())
            .expirationTime(new Date(System.currentTimeMillis() + 600_000))
            .jwtID(UUID.randomUUID().toString())
            .build();
    SignedJWT jwt =
        new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(keyId).build(), claims);
    jwt.sign(new ECDSASigner(forger));
    return jwt.serialize();
  }

  static RawHttp.Answer call(String from, String credential) throws Exception {
    try (RawHttp c = RawHttp.open(hub.http.port, from)) {
      return c.send(
              "GET /api/agents HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                  + credential
                  + "\r\nConnection: close\r\n\r\n")
          .read();
    }
  }

  static long signatureChecks() {
    return hub.security.hubTokens().signatureChecks();
  }

  @Test
  void aFloodOfForgedTokensFromOneAddressIsThrottledWhileValidCallersAreServed() throws Exception {
    String verified = login();
    assertEquals(200, hub.http.as(verified).get("/api/agents").status(), "verified once, kept");
    long checksBefore = signatureChecks();
    long started = System.nanoTime();
    Map<Integer, Integer> statuses = new HashMap<>();
    RawHttp.Answer throttled = null; // the last 429 (a token refilled now and then is a 401)
    for (int i = 0; i < 300; i++) {
      RawHttp.Answer answer = call("127.0.0.2", forged(kid));
      statuses.merge(answer.status(), 1, Integer::sum);
      if (answer.status() == 429) {
        throttled = answer;
      }
      if (i % 50 == 0) {
        // the valid callers, on the same address and another, during the flood
        assertEquals(200, hub.http.get("/api/agents").status(), "the admin key");
        assertEquals(200, hub.http.as(verified).get("/api/agents").status(), "a verified token");
        assertEquals(200, call("127.0.0.2", hub.adminKey).status(), "a key, same address");
      }
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    long checks = signatureChecks() - checksBefore;
    System.out.printf(
        "300 forged tokens in %.1f s: %s, %d signature checks%n", seconds, statuses, checks);
    assertNotNull(throttled, statuses.toString());
    assertEquals("rate_limited", throttled.code());
    assertTrue(throttled.json().at("/error/message").asText().contains("valid credentials"));
    assertTrue(Integer.parseInt(throttled.headers().get("retry-after")) >= 1);
    int allowed = (int) (BURST + REFILL * seconds) + 1; // the burst, and what refilled meanwhile
    assertTrue(statuses.getOrDefault(401, 0) <= allowed, statuses + " allowed " + allowed);
    assertTrue(checks <= allowed, checks + " signature checks, allowed " + allowed);
    assertTrue(statuses.getOrDefault(429, 0) >= 300 - allowed, statuses.toString());
    assertEquals(200, call("127.0.0.3", login()).status(), "a new token from another address");
  }

  @Test
  void tokensThatCannotBeOursAndRepeatedOnesCostNoSignatureCheck() throws Exception {
    long before = signatureChecks();
    for (int i = 0; i < 10; i++) {
      RawHttp.Answer a = call("127.0.0.4", forged("not-our-key-id"));
      assertEquals(401, a.status(), a.body());
      assertEquals("unauthorized", a.code());
    }
    assertEquals(before, signatureChecks(), "another key id: refused unsigned");
    String once = forged(kid);
    for (int i = 0; i < 10; i++) {
      assertEquals(401, call("127.0.0.5", once).status());
    }
    assertEquals(before + 1, signatureChecks(), "the same forged token: checked once");
  }
}
