package io.agenthive.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Scenario 2: {@code POST /api/tasks} (durable: answered after the task is journaled) and
 * {@code GET /api/hive/status} on a hub process with 8 noop agents, 32 and 128 connections, with
 * wrk. Ceiling: a hello-world akka-http route in a JVM with the same settings, same connections.
 */
final class HttpScenario {
  private static final int[] CONNECTIONS = {32, 128};
  private static final int[] QUICK_CONNECTIONS = {32};
  private static final long READS_WITH_TASKS = 100_000;
  private static final String TASK = "{\"title\":\"bench\",\"priority\":\"high\","
      + "\"required_capabilities\":[{\"name\":\"bench\",\"minimum_proficiency\":0.5}]}";

  private HttpScenario() {}

  static List<Figure> run(Bench.Options options, List<String> notes) throws Exception {
    if (!Wrk.ensureInstalled(notes)) {
      notes.add("http skipped: wrk is not installed (apt-get install wrk)");
      return List.of();
    }
    // the hub's JIT needs about ten seconds under load before its rate settles
    Duration warmUp = Duration.ofSeconds(options.quick() ? 1 : 10);
    int[] connections = options.quick() ? QUICK_CONNECTIONS : CONNECTIONS;
    if (options.quick()) {
      notes.add("http: --quick measures 32 connections only, 2 s per run");
    }
    Duration each = Duration.ofSeconds(options.quick() ? 2 : 10);
    Map<Integer, List<Wrk.Result>> hello = new java.util.HashMap<>();
    Path helloLog = Files.createTempFile("hive-bench-hello-", ".log");
    int helloPort = Processes.freePort();
    try (Processes.Child server = Processes.java(HelloServer.class.getName(), HubProcess.JVM,
        List.of(Integer.toString(helloPort)), Map.of(), helloLog, true)) {
      server.await(Pattern.compile("hello ready"), Duration.ofMinutes(1));
      for (int c : connections) {
        hello.put(c, measure("http://127.0.0.1:" + helloPort + "/hello", c, null, warmUp, each,
            options.runs()));
      }
    }
    List<Figure> out = new ArrayList<>();
    try (BenchDb db = BenchDb.h2()) {
      HubProcess.Started hub = HubProcess.start(options, db.env(),
          List.of("-Dhive.core.tasks.queue-bound=1000000"), false);
      try (Processes.Child child = hub.child()) {
        String base = "http://127.0.0.1:" + hub.port();
        registerAgents(base, 8);
        Path post = Wrk.postScript(TASK);
        for (int c : connections) {
          List<Wrk.Result> posts = measure(base + "/api/tasks", c, post, warmUp, each,
              options.runs());
          out.addAll(figures("POST /api/tasks", c, posts, hello.get(c)));
          long errors = posts.stream().mapToLong(Wrk.Result::non2xx).sum();
          if (errors > 0) {
            notes.add("http: POST /api/tasks with " + c + " connections had " + errors
                + " non-2xx answers");
          }
        }
        long tasks = fillJournal(base, post, options.quick() ? 2_000 : READS_WITH_TASKS, notes);
        notes.add(String.format("http: reads measured with %,d tasks in the journal, none"
            + " running", tasks));
        for (int c : connections) {
          out.addAll(figures("GET /api/hive/status", c,
              measure(base + "/api/hive/status", c, null, warmUp, each, options.runs()),
              hello.get(c)));
          out.addAll(figures("GET /api/tasks?limit=20", c,
              measure(base + "/api/tasks?limit=20", c, null, warmUp, each, options.runs()),
              hello.get(c)));
        }
      }
    }
    return out;
  }

  /**
   * Posts tasks until the journal holds at least {@code target}, then waits until the hub has
   * run them all, so reads are measured against a full journal on an otherwise idle hub.
   */
  private static long fillJournal(String base, Path post, long target, List<String> notes)
      throws Exception {
    JsonNode status = status(base);
    while (total(status) < target) {
      Wrk.run(base + "/api/tasks", 32, Duration.ofSeconds(10), post);
      status = status(base);
    }
    long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
    while (status.path("in_flight").asLong() + sum(status.path("queue_depth")) > 0) {
      if (System.nanoTime() > deadline) {
        notes.add("http: the hub had not run every posted task after 10 minutes");
        break;
      }
      Thread.sleep(200); // allowed: the harness polls the hub it measures
      status = status(base);
    }
    return total(status);
  }

  private static JsonNode status(String base) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create(base + "/api/hive/status")).build(), HttpResponse.BodyHandlers.ofString());
    return new ObjectMapper().readTree(r.body());
  }

  private static long total(JsonNode status) {
    return sum(status.path("tasks"));
  }

  private static long sum(JsonNode counts) {
    long n = 0;
    for (JsonNode v : counts) {
      n += v.asLong();
    }
    return n;
  }

  private static List<Wrk.Result> measure(String url, int connections, Path lua, Duration warmUp,
      Duration each, int runs) throws Exception {
    Wrk.run(url, connections, warmUp, lua);
    List<Wrk.Result> results = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      results.add(Wrk.run(url, connections, each, lua));
    }
    return results;
  }

  private static List<Figure> figures(String what, int c, List<Wrk.Result> runs,
      List<Wrk.Result> hello) {
    String name = what + ", " + c + " connections";
    String ceiling = "hello-world route, " + c + " connections";
    return List.of(
        Figure.of("http", name, runs.stream().map(Wrk.Result::requestsPerSecond).toList(),
            "req/s").against(ceiling, hello.stream().map(Wrk.Result::requestsPerSecond).toList()),
        Figure.of("http", name + " p50", runs.stream().map(Wrk.Result::p50Ms).toList(), "ms")
            .against(ceiling, hello.stream().map(Wrk.Result::p50Ms).toList()),
        Figure.of("http", name + " p99", runs.stream().map(Wrk.Result::p99Ms).toList(), "ms")
            .against(ceiling, hello.stream().map(Wrk.Result::p99Ms).toList()));
  }

  private static void registerAgents(String base, int count) throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    for (int i = 0; i < count; i++) {
      HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base + "/api/agents"))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"bench-" + i + "\","
              + "\"type\":\"worker\",\"skill\":\"noop\",\"max_concurrency\":8,"
              + "\"capabilities\":[{\"name\":\"bench\",\"proficiency\":0.9}]}"))
          .build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 201) {
        throw new IllegalStateException("agent registration failed: " + r.body());
      }
    }
  }
}
