package io.agenthive.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Server-Sent Events client for tests, on the JDK's HttpClient reading the body as lines: each
 * event (its name and JSON data) is queued as it arrives, so a test can wait for the next one.
 */
final class SseTestClient implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  record Event(String name, JsonNode data) {}

  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private final List<Event> seen = new ArrayList<>();
  private final CompletableFuture<HttpResponse<Stream<String>>> response;
  private volatile boolean ended;
  private volatile int comments;

  SseTestClient(HttpTestClient http, String path) {
    HttpRequest request =
        http.authorized(HttpRequest.newBuilder(URI.create(http.base() + path)))
            .header("Accept", "text/event-stream")
            .GET()
            .build();
    this.response =
        HttpClient.newHttpClient().sendAsync(request, HttpResponse.BodyHandlers.ofLines());
    response.thenAcceptAsync(r -> read(r.body()));
  }

  int status() throws Exception {
    return response.get(10, TimeUnit.SECONDS).statusCode();
  }

  private void read(Stream<String> lines) {
    String[] name = {null};
    StringBuilder data = new StringBuilder();
    try {
      lines.forEach(
          line -> {
            if (line.startsWith(":")) {
              comments++;
            } else if (line.startsWith("event:")) {
              name[0] = line.substring(6).trim();
            } else if (line.startsWith("data:")) {
              data.append(line.substring(5).trim());
            } else if (line.isEmpty() && name[0] != null) {
              try {
                events.add(new Event(name[0], JSON.readTree(data.toString())));
              } catch (Exception e) {
                events.add(
                    new Event("unreadable", JSON.createObjectNode().put("raw", data.toString())));
              }
              name[0] = null;
              data.setLength(0);
            }
          });
    } catch (RuntimeException e) {
      // the stream was closed under us: the test sees no more events
    } finally {
      ended = true;
    }
  }

  /** The next event, waiting at most {@code wait}; fails the test when none comes. */
  Event next(Duration wait) throws InterruptedException {
    Event e = events.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    if (e == null) {
      throw new AssertionError("no event within " + wait + "; seen so far: " + seen);
    }
    seen.add(e);
    return e;
  }

  /** Every event up to and including {@code end}. */
  List<Event> untilEnd(Duration wait) throws InterruptedException {
    List<Event> out = new ArrayList<>();
    Event e;
    do {
      e = next(wait);
      out.add(e);
    } while (!e.name().equals("end"));
    return out;
  }

  /** Comment lines (keep-alives) seen so far. */
  int comments() {
    return comments;
  }

  /** Whether the server ended the stream. */
  boolean ended() {
    return ended;
  }

  @Override
  public void close() {
    response.cancel(true);
    response.thenAccept(r -> r.body().close());
  }
}
