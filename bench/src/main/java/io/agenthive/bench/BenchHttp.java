package io.agenthive.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** JSON over HTTP to a hub process, for the scenarios that drive one through its API. */
final class BenchHttp {
  private static final ObjectMapper JSON = new ObjectMapper();

  private BenchHttp() {}

  /** POSTs JSON as {@code hub}'s admin; anything but a 2xx answer fails the scenario. */
  static JsonNode post(HttpClient http, HubProcess.Started hub, String url, String body)
      throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .header("Authorization", hub.bearer())
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() / 100 != 2) {
      throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + r.body());
    }
    return JSON.readTree(r.body());
  }

  static JsonNode get(HttpClient http, HubProcess.Started hub, String url) throws Exception {
    return JSON.readTree(
        http.send(
                HttpRequest.newBuilder(URI.create(url))
                    .header("Authorization", hub.bearer())
                    .GET()
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body());
  }
}
