package io.agenthive.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTPS from a PKCS12 keystore (made here with the JDK's keytool), with HSTS; CORS for the
 * configured origin only, preflights included; the browser headers on every answer.
 */
class BrowserAndTlsTest {
  static final String ORIGIN = "https://ops.example.com";
  @TempDir static Path dir;
  static ApiTestHub hub;
  static HttpClient https;
  static String base;

  @BeforeAll
  static void start() throws Exception {
    Path store = dir.resolve("hive.p12");
    Process keytool =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "hive",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-validity",
                "2",
                "-dname",
                "CN=127.0.0.1",
                "-ext",
                "SAN=IP:127.0.0.1",
                "-storetype",
                "PKCS12",
                "-keystore",
                store.toString(),
                "-storepass",
                "changeit")
            .redirectErrorStream(true)
            .start();
    assertTrue(
        keytool.waitFor(60, TimeUnit.SECONDS) && keytool.exitValue() == 0,
        new String(keytool.getInputStream().readAllBytes()));
    hub =
        ApiTestHub.start(
            "BrowserAndTlsTest",
            dir.resolve("data"),
            "hive.http {"
                + " tls { keystore = \""
                + store
                + "\", password = changeit }\n"
                + " cors-origins = \""
                + ORIGIN
                + ", https://other.example.com\" }");
    KeyStore trusted = KeyStore.getInstance("PKCS12");
    try (var in = java.nio.file.Files.newInputStream(store)) {
      trusted.load(in, "changeit".toCharArray());
    }
    KeyStore roots = KeyStore.getInstance(KeyStore.getDefaultType());
    roots.load(null, null);
    roots.setCertificateEntry("hive", (X509Certificate) trusted.getCertificate("hive"));
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(roots);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    https = HttpClient.newBuilder().sslContext(ssl).build();
    base = "https://127.0.0.1:" + hub.http.port;
  }

  @AfterAll
  static void stop() {
    hub.stop();
  }

  static HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
    return https.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theApiIsServedOverHttpsWithHstsAndTheBrowserHeaders() throws Exception {
    var r =
        send(
            HttpRequest.newBuilder(URI.create(base + "/api/hive/status"))
                .header("Authorization", "Bearer " + hub.adminKey));
    assertEquals(200, r.statusCode(), r.body());
    assertTrue(r.headers().firstValue("Strict-Transport-Security").isPresent());
    assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(null));
    assertEquals("DENY", r.headers().firstValue("X-Frame-Options").orElse(null));
    assertTrue(
        r.headers()
            .firstValue("Content-Security-Policy")
            .orElse("")
            .contains("frame-ancestors 'none'"));
    var refused = send(HttpRequest.newBuilder(URI.create(base + "/api/hive/status")));
    assertEquals(401, refused.statusCode());
    assertTrue(
        refused.headers().firstValue("X-Content-Type-Options").isPresent(),
        "errors carry the headers too");
  }

  @Test
  void onlyTheConfiguredOriginsMayCallFromABrowser() throws Exception {
    var preflight =
        send(
            HttpRequest.newBuilder(URI.create(base + "/api/tasks"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", ORIGIN)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization, content-type"));
    assertEquals(204, preflight.statusCode(), preflight.body());
    assertEquals(
        ORIGIN, preflight.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
    assertTrue(
        preflight
            .headers()
            .firstValue("Access-Control-Allow-Headers")
            .orElse("")
            .contains("Authorization"));
    var foreign =
        send(
            HttpRequest.newBuilder(URI.create(base + "/api/tasks"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://evil.example.com")
                .header("Access-Control-Request-Method", "POST"));
    assertEquals(403, foreign.statusCode());
    assertNull(foreign.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
    var actual =
        send(
            HttpRequest.newBuilder(URI.create(base + "/api/agents"))
                .header("Origin", ORIGIN)
                .header("Authorization", "Bearer " + hub.adminKey));
    assertEquals(200, actual.statusCode());
    assertEquals(List.of(ORIGIN), actual.headers().allValues("Access-Control-Allow-Origin"));
  }
}
