package io.agenthive.http;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import io.agenthive.http.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /api/events} over WebSocket and SSE: replay, live, resume, filters, slow clients. */
class EventFeedTest {
  @TempDir static Path dataDir;
  static ApiTestHub hub;
  static int port;
  static final HttpClient client = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    hub = ApiTestHub.start("EventFeedTest", dataDir, "");
    port = Integer.parseInt(hub.http.get("/health").raw().uri().getPort() + "");
  }

  @AfterAll
  static void stop() {
    hub.stop();
  }

  /** A WebSocket client that collects the feed's messages; {@code demand} 0 never reads. */
  static final class FeedSocket implements WebSocket.Listener {
    final BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
    final boolean reads;
    WebSocket socket;

    FeedSocket(boolean reads) {
      this.reads = reads;
    }

    static FeedSocket open(String query, boolean reads) throws Exception {
      FeedSocket listener = new FeedSocket(reads);
      listener.socket =
          client
              .newWebSocketBuilder()
              .header("Authorization", "Bearer " + hub.adminKey)
              .header("Origin", "http://127.0.0.1:" + port) // as the dashboard's page would
              .buildAsync(URI.create("ws://127.0.0.1:" + port + "/api/events" + query), listener)
              .get(10, TimeUnit.SECONDS);
      return listener;
    }

    @Override
    public void onOpen(WebSocket webSocket) {
      webSocket.request(reads ? 1 : 0);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      try {
        events.add(Json.MAPPER.readTree(data.toString()));
      } catch (Exception e) {
        throw new AssertionError(e);
      }
      webSocket.request(1);
      return null;
    }

    List<JsonNode> take(int n) throws InterruptedException {
      List<JsonNode> out = new ArrayList<>();
      while (out.size() < n) {
        JsonNode e = events.poll(20, TimeUnit.SECONDS);
        assertNotNull(e, "expected " + n + " events, got " + out.size());
        out.add(e);
      }
      return out;
    }

    void close() {
      socket.abort();
    }
  }

  static String newAgent(String name) throws Exception {
    return hub.http
        .post(
            "/api/agents",
            "{\"name\": \"" + name + "\", \"type\": \"worker\"," + " \"skill\": \"noop\"}")
        .json()
        .get("id")
        .asText();
  }

  @Test
  void aReconnectingClientResumesFromItsOffsetWithNoGapAndNoDuplicate() throws Exception {
    long start = latestOffset();
    for (int i = 0; i < 3; i++) {
      newAgent("feed-a" + i);
    }
    FeedSocket first = FeedSocket.open("?since=" + start, true);
    List<JsonNode> before = first.take(3);
    first.close();
    long last = before.get(before.size() - 1).get("offset").asLong();

    for (int i = 0; i < 3; i++) {
      newAgent("feed-b" + i);
    }
    FeedSocket resumed = FeedSocket.open("?since=" + last, true);
    List<JsonNode> after = resumed.take(3);
    resumed.close();

    FeedSocket whole = FeedSocket.open("?since=" + start, true);
    List<JsonNode> all = whole.take(before.size() + after.size());
    whole.close();
    List<Long> expected = all.stream().map(e -> e.get("offset").asLong()).toList();
    List<Long> seen =
        Stream.concat(before.stream(), after.stream()).map(e -> e.get("offset").asLong()).toList();
    assertEquals(expected, seen, "resumed feed continues exactly where the first stopped");
    JsonNode e = all.get(0);
    for (String field :
        List.of(
            "offset", "entity_kind", "entity_id", "sequence_nr", "type", "timestamp", "payload")) {
      assertTrue(e.has(field), field + " in " + e);
    }
  }

  @Test
  void serverSentEventsCarryTheOffsetAsIdAndHonourLastEventId() throws Exception {
    String agent = newAgent("feed-sse");
    Map<String, String> first = firstSseEvent("entity_kind=agent&entity_id=" + agent);
    JsonNode event = Json.MAPPER.readTree(first.get("data"));
    assertEquals(agent, event.get("entity_id").asText());
    assertEquals("AgentRegistered", event.get("type").asText());
    assertEquals(first.get("id"), event.get("offset").asText());
    assertEquals("AgentRegistered", first.get("event"), "named by its type");
  }

  /** A browser's EventSource hands unnamed events to onmessage: every type, known or new. */
  @Test
  void withEventNamesFalseAnEventHasNoSseNameButKeepsItsIdAndType() throws Exception {
    String agent = newAgent("feed-unnamed");
    Map<String, String> first =
        firstSseEvent("event_names=false&entity_kind=agent&entity_id=" + agent);
    assertFalse(first.containsKey("event"), first.toString());
    JsonNode event = Json.MAPPER.readTree(first.get("data"));
    assertEquals("AgentRegistered", event.get("type").asText());
    assertEquals(first.get("id"), event.get("offset").asText());
    var bad = hub.http.get("/api/events?event_names=maybe");
    assertEquals(400, bad.status());
    assertEquals("event_names", bad.json().at("/error/field_errors/0/field").asText(), bad.body());
  }

  /** The fields (id, event, data) of the first SSE event after offset 0 for {@code query}. */
  private static Map<String, String> firstSseEvent(String query) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/events?" + query))
            .header("Accept", "text/event-stream")
            .header("Last-Event-ID", "0")
            .header("Authorization", "Bearer " + hub.adminKey)
            .build();
    HttpResponse<Stream<String>> r = client.send(request, HttpResponse.BodyHandlers.ofLines());
    assertEquals(200, r.statusCode());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
    Map<String, String> fields = new HashMap<>();
    for (var it = r.body().iterator(); it.hasNext(); ) {
      String line = it.next();
      int colon = line.indexOf(':');
      if (colon > 0) {
        fields.put(line.substring(0, colon), line.substring(colon + 1).trim());
      } else if (line.isEmpty() && fields.containsKey("data")) {
        break; // end of the first event
      }
    }
    r.body().close();
    return fields;
  }

  @Test
  void aClientThatStopsReadingDoesNotHoldUpOthers() throws Exception {
    long start = latestOffset();
    // the stalled client never asks for more: with one shared, backpressured feed, the reader
    // below would wait on it and see nothing
    FeedSocket stalled = FeedSocket.open("?since=" + start, false);
    FeedSocket reader = FeedSocket.open("?since=" + start, true);
    List<String> registered = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      registered.add(newAgent("feed-load" + i));
    }
    assertEquals(
        registered, reader.take(20).stream().map(e -> e.get("entity_id").asText()).toList());
    assertEquals(200, hub.http.get("/health").status());
    stalled.close();
    reader.close();
  }

  /** The offset of the newest journaled event, read as a new agent's registration offset. */
  static long latestOffset() throws Exception {
    String id = newAgent("feed-mark");
    JsonNode history = hub.http.get("/api/agents/" + id + "/history").json();
    return history.at("/events/0/offset").asLong();
  }

  @Test
  void badQueriesAreRefusedWithTheErrorBody() throws Exception {
    var r = hub.http.get("/api/events?since=-3&entity_kind=planet");
    assertEquals(400, r.status());
    assertEquals(2, r.json().at("/error/field_errors").size(), r.body());
  }
}
