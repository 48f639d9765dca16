package io.agenthive.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTPS from a PKCS12 keystore (made here with the JDK's keytool), with HSTS; CORS for the
 * configured origin only, preflights included; the browser headers on every answer; the connection
 * limits answer in the error body over TLS too (4 per address, headers within 2 s here).
 */
@Tag("database-neutral") // the edge or the launcher's own checks: the same on every database
class BrowserAndTlsTest {
  static final String ORIGIN = "https://ops.example.com";
  @TempDir static Path dir;
  static ApiTestHub hub;
  static HttpClient https;
  static SSLContext tls;
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
                + ", https://other.example.com\"\n"
                + " connections { max-per-address = 4, header-timeout = 2s } }");
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
    tls = ssl;
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

  /** A TLS connection from {@code from}, handshake done, the start of a request sent. */
  static SSLSocket halfARequest(String from) throws Exception {
    SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket();
    s.bind(new InetSocketAddress(from, 0));
    s.connect(new InetSocketAddress("127.0.0.1", hub.http.port), 5_000);
    s.setSoTimeout(20_000);
    s.startHandshake();
    s.getOutputStream().write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes());
    s.getOutputStream().flush();
    return s;
  }

  static String answer(SSLSocket s) throws Exception {
    return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }

  @Test
  void overTlsTooManyConnectionsAndSlowHeadersAreAnsweredInTheErrorBody() throws Exception {
    List<SSLSocket> held = new ArrayList<>();
    try {
      for (int i = 0; i < 4; i++) {
        held.add(halfARequest("127.0.0.2"));
      }
      try (SSLSocket refused = halfARequest("127.0.0.2")) {
        String text = answer(refused);
        assertTrue(text.startsWith("HTTP/1.1 503 "), text);
        assertTrue(text.contains("\"too_many_connections\""), text);
      }
      for (SSLSocket s : held) {
        String text = answer(s); // after the 2 s header timeout
        assertTrue(text.startsWith("HTTP/1.1 408 "), text);
        assertTrue(text.contains("\"header_timeout\""), text);
      }
    } finally {
      for (SSLSocket s : held) {
        s.close();
      }
    }
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
