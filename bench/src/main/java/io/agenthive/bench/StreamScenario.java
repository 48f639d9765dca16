package io.agenthive.bench;

import static io.agenthive.bench.BenchHttp.post;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Live output latency: an OpenAI-compatible stand-in in this JVM streams an answer (SSE chunks);
 * the figure is the time from the stand-in writing its first chunk to a client of the hub's {@code
 * GET /api/tasks/{id}/stream} receiving that text (stand-in → llm skill → LiveRun → follower →
 * SSE), one task at a time on a hub process; the ceiling is the same first chunk read by a client
 * of the stand-in directly. The stand-in holds its first chunk until the bench's stream client has
 * its {@code so_far} (the follower found the attempt), so the wait to subscribe is not counted.
 */
final class StreamScenario {
  private static final String CHUNK =
      "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1763800000,"
          + "\"model\":\"bench\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"word \"}}]}\n\n";

  private StreamScenario() {}

  /** The stand-in: each answer waits for a release, then notes when its first chunk goes out. */
  static final class StandIn implements AutoCloseable {
    final BlockingQueue<Boolean> release = new LinkedBlockingQueue<>();
    final BlockingQueue<Long> firstChunkNanos = new LinkedBlockingQueue<>();
    private final HttpServer server;

    StandIn() throws IOException {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext("/", this::answer);
      server.setExecutor(Executors.newFixedThreadPool(4));
      server.start();
    }

    String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    private void answer(HttpExchange exchange) throws IOException {
      exchange.getRequestBody().readAllBytes();
      exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
      exchange.sendResponseHeaders(200, 0);
      try (OutputStream out = exchange.getResponseBody()) {
        out.flush();
        if (release.poll(30, TimeUnit.SECONDS) == null) {
          return;
        }
        byte[] chunk = CHUNK.getBytes(StandardCharsets.UTF_8);
        firstChunkNanos.add(System.nanoTime());
        out.write(chunk);
        out.flush();
        for (int i = 0; i < 3; i++) {
          Thread.sleep(20); // allowed: the stand-in's pace between chunks
          out.write(chunk);
          out.flush();
        }
        out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }

  static List<Figure> run(Bench.Options options, List<String> notes) throws Exception {
    int tasks = options.quick() ? 10 : 100;
    try (BenchDb db = BenchDb.h2();
        StandIn standIn = new StandIn()) {
      Map<String, String> env = new HashMap<>(db.env());
      env.put("HIVE_EGRESS_ALLOW", "127.0.0.1/32");
      HubProcess.Started hub = HubProcess.start(options, env, List.of(), false);
      try (Processes.Child child = hub.child()) {
        String base = "http://127.0.0.1:" + hub.port();
        HttpClient http = HttpClient.newHttpClient();
        post(
            http,
            hub,
            base + "/api/agents",
            "{\"name\":\"bench-streamer\",\"type\":\"worker\",\"capabilities\":[{\"name\":"
                + "\"bench.stream\",\"proficiency\":0.9}],\"skill\":{\"name\":\"llm\",\"config\":"
                + "{\"base_url\":\""
                + standIn.url()
                + "\",\"model\":\"bench\",\"timeout_ms\":30000}}}");
        viaHub(http, hub, base, standIn, tasks / 2); // warm-up, not counted
        direct(http, standIn, tasks / 2);
        List<Double> hubRuns = new ArrayList<>();
        List<Double> directRuns = new ArrayList<>();
        for (int run = 0; run < options.runs(); run++) {
          hubRuns.add(Figure.median(viaHub(http, hub, base, standIn, tasks)));
          directRuns.add(Figure.median(direct(http, standIn, tasks)));
        }
        return List.of(
            Figure.of(
                    "stream",
                    "first partial through /api/tasks/{id}/stream (median of " + tasks + ")",
                    hubRuns,
                    "ms")
                .against("the stand-in's first chunk read directly", directRuns));
      }
    }
  }

  /** Per task: first chunk written by the stand-in → its text received on the hub's stream. */
  private static List<Double> viaHub(
      HttpClient http, HubProcess.Started hub, String base, StandIn standIn, int n)
      throws Exception {
    List<Double> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String id =
          post(
                  http,
                  hub,
                  base + "/api/tasks",
                  "{\"title\":\"bench\",\"input\":\"x\",\"max_attempts\":1,"
                      + "\"required_capabilities\":[{\"name\":\"bench.stream\"}]}")
              .get("id")
              .asText();
      HttpResponse<Stream<String>> stream =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/api/tasks/" + id + "/stream"))
                  .header("Authorization", hub.bearer())
                  .timeout(Duration.ofSeconds(60))
                  .build(),
              HttpResponse.BodyHandlers.ofLines());
      try (Stream<String> lines = stream.body()) {
        Iterator<String> it = lines.iterator();
        String event = null;
        while (it.hasNext()) {
          String line = it.next();
          if (line.startsWith("event: ")) {
            event = line.substring(7);
          } else if (line.startsWith("data: ") && "so_far".equals(event)) {
            standIn.release.add(true);
          } else if (line.startsWith("data: ") && "partial".equals(event)) {
            long received = System.nanoTime();
            out.add((received - standIn.firstChunkNanos.take()) / 1e6);
            break;
          } else if (line.startsWith("data: ") && "end".equals(event)) {
            throw new IllegalStateException("task " + id + " ended without a partial: " + line);
          }
        }
      }
      awaitEnd(http, hub, base, id);
    }
    return out;
  }

  private static void awaitEnd(HttpClient http, HubProcess.Started hub, String base, String id)
      throws Exception {
    while (!BenchHttp.get(http, hub, base + "/api/tasks/" + id)
        .get("status")
        .asText()
        .equals("completed")) {
      Thread.sleep(10); // allowed: the harness polls for the end of one task
    }
  }

  /** Per request: first chunk written by the stand-in → received by a client of it. */
  private static List<Double> direct(HttpClient http, StandIn standIn, int n) throws Exception {
    List<Double> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      standIn.release.add(true);
      HttpResponse<Stream<String>> stream =
          http.send(
              HttpRequest.newBuilder(URI.create(standIn.url() + "/chat/completions"))
                  .POST(HttpRequest.BodyPublishers.ofString("{\"stream\":true}"))
                  .build(),
              HttpResponse.BodyHandlers.ofLines());
      try (Stream<String> lines = stream.body()) {
        Iterator<String> it = lines.iterator();
        while (it.hasNext()) {
          if (it.next().startsWith("data: ")) {
            out.add((System.nanoTime() - standIn.firstChunkNanos.take()) / 1e6);
            break;
          }
        }
      }
    }
    return out;
  }
}
