package io.agenthive.security;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The OIDC discovery document is read while it streams in, never past its bound. */
class OidcDiscoveryTest {

  @Test
  void anEndlessDiscoveryDocumentCostsItsBoundNotTheHeap() throws Exception {
    AtomicLong sent = new AtomicLong();
    HttpServer provider = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    provider.createContext(
        "/.well-known/openid-configuration",
        exchange -> {
          exchange.sendResponseHeaders(200, 0); // chunked, no end announced
          byte[] chunk = new byte[64 * 1024];
          Arrays.fill(chunk, (byte) ' ');
          try (OutputStream out = exchange.getResponseBody()) {
            // "endless": 256 MiB, far past anything a reader that keeps it all would survive
            for (int i = 0; i < 4096; i++) {
              out.write(chunk);
              sent.addAndGet(chunk.length);
            }
          } catch (IOException closedByTheReader) {
            // the hub stopped reading and closed the connection: what it is meant to do
          }
        });
    provider.start();
    try {
      String issuer = "http://127.0.0.1:" + provider.getAddress().getPort();
      var verifier =
          new OidcVerifier(
              new SecuritySettings.Oidc(
                  issuer,
                  "agent-hive",
                  "",
                  "roles",
                  Map.of(),
                  Duration.ofSeconds(30),
                  Duration.ofMinutes(5),
                  Duration.ofSeconds(1)));
      var key = new RSAKeyGenerator(2048).keyID("k").generate();
      SignedJWT token =
          new SignedJWT(
              new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k").build(),
              new JWTClaimsSet.Builder().issuer(issuer).subject("someone").build());
      token.sign(new RSASSASigner(key));

      assertNull(verifier.verify(token.serialize()), "no keys, no principal");
      // what the socket buffers held when the hub hung up, not the 256 MiB offered
      assertTrue(sent.get() < 32L * 1024 * 1024, "the provider got to send " + sent.get());
    } finally {
      provider.stop(0);
    }
  }
}
