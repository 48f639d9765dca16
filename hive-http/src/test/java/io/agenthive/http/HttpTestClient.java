package io.agenthive.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.agenthive.http.json.Json;
import io.agenthive.testing.Eventually;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Predicate;

/** A small java.net.http client for the API under test. */
final class HttpTestClient {
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;
  final int port;

  /** Sent as {@code Authorization: Bearer} on every request; null sends none. */
  final String credential;

  HttpTestClient(int port, String credential) {
    this.base = "http://127.0.0.1:" + port;
    this.port = port;
    this.credential = credential;
  }

  /** The same hub, called with other credentials (null: none). */
  HttpTestClient as(String otherCredential) {
    return new HttpTestClient(port, otherCredential);
  }

  /** {@code Authorization} with this client's credential, for hand-made requests. */
  HttpRequest.Builder authorized(HttpRequest.Builder b) {
    return credential == null ? b : b.header("Authorization", "Bearer " + credential);
  }

  /** The hub's address, {@code http://127.0.0.1:<port>}. */
  String base() {
    return base;
  }

  record Reply(int status, JsonNode json, String body, HttpResponse<String> raw) {
    String header(String name) {
      return raw.headers().firstValue(name).orElse(null);
    }
  }

  /** GETs {@code path} until the reply matches; for views that follow the journal. */
  Reply getUntil(String path, Predicate<Reply> done, String what) {
    return Eventually.until(() -> get(path), done, what);
  }

  Reply get(String path) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
  }

  Reply patch(String path, String json) throws Exception {
    return send(
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", "application/json")
            .method("PATCH", HttpRequest.BodyPublishers.ofString(json)));
  }

  /** What an SSE stream at {@code path} sends within {@code window}, as text. */
  String sse(String path, Duration window) throws Exception {
    HttpResponse<java.io.InputStream> r =
        client.send(
            authorized(HttpRequest.newBuilder(URI.create(base + path)))
                .header("Accept", "text/event-stream")
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    StringBuilder out = new StringBuilder();
    java.io.InputStream in = r.body();
    // the window ends the read by closing the stream under it
    var closer =
        java.util.concurrent.CompletableFuture.delayedExecutor(
            window.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    java.util.concurrent.CompletableFuture.runAsync(
        () -> {
          try {
            in.close();
          } catch (java.io.IOException ignored) {
            // already closed: the read has ended anyway
          }
        },
        closer);
    byte[] buf = new byte[8192];
    try {
      for (int n; (n = in.read(buf)) >= 0; ) {
        out.append(new String(buf, 0, n, java.nio.charset.StandardCharsets.UTF_8));
      }
    } catch (java.io.IOException closedByTheWindow) {
      // what the window is for
    }
    return out.toString();
  }

  Reply post(String path, String json, String... headers) throws Exception {
    return postBytes(
        path, json.getBytes(java.nio.charset.StandardCharsets.UTF_8), "application/json", headers);
  }

  Reply postBytes(String path, byte[] body, String contentType, String... headers)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return send(b);
  }

  Reply method(String method, String path) throws Exception {
    return send(
        HttpRequest.newBuilder(URI.create(base + path))
            .method(method, HttpRequest.BodyPublishers.noBody()));
  }

  /** Any method with a JSON body. */
  Reply method(String method, String path, String json) throws Exception {
    return send(
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofString(json)));
  }

  /** Only the status, for endpoints whose body never ends (event streams). */
  int status(String method, String path) throws Exception {
    HttpResponse<java.io.InputStream> r =
        client.send(
            authorized(HttpRequest.newBuilder(URI.create(base + path)))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(20))
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    r.body().close();
    return r.statusCode();
  }

  /** Any request, as built, with this client's credential. */
  Reply send(HttpRequest.Builder b) throws Exception {
    HttpResponse<String> r =
        client.send(
            authorized(b).timeout(Duration.ofSeconds(20)).build(),
            HttpResponse.BodyHandlers.ofString());
    JsonNode json = null;
    if (r.headers().firstValue("Content-Type").orElse("").startsWith("application/json")) {
      json = Json.MAPPER.readTree(r.body());
    }
    return new Reply(r.statusCode(), json, r.body(), r);
  }
}
