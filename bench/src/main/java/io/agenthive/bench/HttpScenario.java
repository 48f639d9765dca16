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
 * Scenario 2: {@code POST /api/tasks} (durable: answered after the task is journaled) and {@code
 * GET /api/hive/status} on a hub process with 8 noop agents, 32 and 128 connections, with wrk; at
 * the end the POSTs again at 32 connections, on the hub warmed by the journal's fill. Ceiling: a
 * hello-world akka-http route in a JVM with the same settings, same connections.
 */
final class HttpScenario {
  private static final int[] CONNECTIONS = {32, 128};
  private static final int[] QUICK_CONNECTIONS = {32};
  private static final long READS_WITH_TASKS = 100_000;
  private static final String TASK =
      "{\"title\":\"bench\",\"priority\":\"high\","
          + "\"required_capabilities\":[{\"name\":\"bench\",\"minimum_proficiency\":0.5}]}";

  /**
   * JVM options of a hub that takes load over HTTP: an unbounded queue, and the admin key's rate
   * limit raised out of the way (the limiter still runs, and is measured).
   */
  static final List<String> LOADED_HUB_JVM =
      List.of(
          "-Dhive.core.tasks.queue-bound=1000000",
          "-Dhive.http.auth.rate-limits.admin.per-second=10000000",
          "-Dhive.http.auth.rate-limits.admin.burst=10000000");

  private HttpScenario() {}

  static List<Figure> run(Bench.Options options, List<String> notes) throws Exception {
    if (!Wrk.ensureInstalled(notes)) {
      notes.add("http skipped: wrk is not installed (apt-get install wrk)");
      return List.of();
    }
    // the hub's JIT needs about ten seconds under load before its rate settles
    Duration warmUp = Duration.ofSeconds(options.quick() ? 1 : options.gate() ? 15 : 10);
    int[] connections = options.quick() || options.gate() ? QUICK_CONNECTIONS : CONNECTIONS;
    if (options.quick()) {
      notes.add("http: --quick measures 32 connections only, 2 s per run");
    }
    Duration each = Duration.ofSeconds(options.quick() ? 2 : options.gate() ? 4 : 10);
    Map<Integer, List<Wrk.Result>> hello = new java.util.HashMap<>();
    for (int c : connections) {
      hello.put(c, hello(false, c, warmUp, each, options.runs()));
    }
    List<Figure> out = new ArrayList<>();
    if (!options.gate()) {
      for (int c : connections) {
        out.add(
            Figure.of(
                    "http",
                    "GET /hello behind the hub's listener (its limits on), " + c + " connections",
                    hello(true, c, warmUp, each, options.runs()).stream()
                        .map(Wrk.Result::requestsPerSecond)
                        .toList(),
                    "req/s")
                .against(
                    "the same on akka-http's own binding",
                    hello.get(c).stream().map(Wrk.Result::requestsPerSecond).toList()));
      }
    }
    List<String> jvm = LOADED_HUB_JVM;
    try (BenchDb db = BenchDb.h2()) {
      HubProcess.Started hub = HubProcess.start(options, db.env(), jvm, false);
      try (Processes.Child child = hub.child()) {
        String base = "http://127.0.0.1:" + hub.port();
        registerAgents(base, hub.bearer(), 8);
        Path post = Wrk.postScript(TASK, hub.bearer());
        Path get = Wrk.getScript(hub.bearer());
        for (int c : connections) {
          List<Wrk.Result> posts =
              measure(base + "/api/tasks", c, post, warmUp, each, options.runs());
          out.addAll(figures("POST /api/tasks", c, posts, hello.get(c)));
          long errors = posts.stream().mapToLong(Wrk.Result::non2xx).sum();
          if (errors > 0) {
            notes.add(
                "http: POST /api/tasks with "
                    + c
                    + " connections had "
                    + errors
                    + " non-2xx answers");
          }
        }
        long tasks =
            fillJournal(
                base,
                hub.bearer(),
                post,
                options.quick() || options.gate() ? 2_000 : READS_WITH_TASKS,
                notes);
        notes.add(
            String.format(
                "http: reads measured with %,d tasks in the journal, none" + " running", tasks));
        for (int c : connections) {
          for (String read : READS) {
            out.addAll(
                figures(
                    "GET " + read,
                    c,
                    measure(base + read, c, get, warmUp, each, options.runs()),
                    hello.get(c)));
          }
        }
        if (!options.gate()) {
          // The POSTs above are the hub's first seconds of them, while the JIT still compiles
          // their path beside the load on two cores; a hub that has served a while answers them
          // about three times faster. The same POSTs again once the journal's fill warmed it.
          out.addAll(
              figures(
                  "POST /api/tasks on the warm hub (after the journal's fill)",
                  32,
                  measure(base + "/api/tasks", 32, post, warmUp, each, options.runs()),
                  hello.get(32)));
        }
      }
    }
    if (!options.gate()) {
      out.addAll(authOff(options, jvm, warmUp, each, notes));
    }
    return out;
  }

  /**
   * {@code GET /hello} on a fresh JVM, on akka-http's own binding or behind the hub's listener
   * (connection caps, header deadline, idle timeout: the limits the hub's edge adds).
   */
  private static List<Wrk.Result> hello(
      boolean listener, int connections, Duration warmUp, Duration each, int runs)
      throws Exception {
    Path log = Files.createTempFile("hive-bench-hello-", ".log");
    int port = Processes.freePort();
    List<String> args =
        listener ? List.of(Integer.toString(port), "listener") : List.of(Integer.toString(port));
    try (Processes.Child server =
        Processes.java(HelloServer.class.getName(), HubProcess.JVM, args, Map.of(), log, true)) {
      server.await(Pattern.compile("hello ready"), Duration.ofMinutes(1));
      return measure("http://127.0.0.1:" + port + "/hello", connections, null, warmUp, each, runs);
    }
  }

  private static final List<String> READS = List.of("/api/hive/status", "/api/tasks?limit=20");

  private static final long COMPARED_WITH_TASKS = 10_000;

  /**
   * The cost of checking every request (key lookup, SHA-256, policy, rate limit): the same reads at
   * 32 connections by two fresh hubs that went through the same steps on fresh journals (agents, 10
   * 000 tasks run), one with authentication off, then one with it on.
   */
  private static List<Figure> authOff(
      Bench.Options options, List<String> jvm, Duration warmUp, Duration each, List<String> notes)
      throws Exception {
    Map<String, List<Wrk.Result>> off = freshReads(options, jvm, false, warmUp, each, notes);
    Map<String, List<Wrk.Result>> on = freshReads(options, jvm, true, warmUp, each, notes);
    List<Figure> out = new ArrayList<>();
    for (String read : READS) {
      out.add(
          Figure.of(
                  "http",
                  "GET " + read + ", 32 connections, auth on",
                  on.get(read).stream().map(Wrk.Result::requestsPerSecond).toList(),
                  "req/s")
              .against(
                  "the same with auth off",
                  off.get(read).stream().map(Wrk.Result::requestsPerSecond).toList()));
    }
    notes.add(
        String.format(
            "http: auth on = every request carries an admin API key (lookup,"
                + " SHA-256, policy, rate limit); auth off = HIVE_AUTH=off; each on a fresh hub and"
                + " journal with %,d tasks run",
            COMPARED_WITH_TASKS));
    return out;
  }

  private static Map<String, List<Wrk.Result>> freshReads(
      Bench.Options options,
      List<String> jvm,
      boolean auth,
      Duration warmUp,
      Duration each,
      List<String> notes)
      throws Exception {
    Map<String, List<Wrk.Result>> out = new java.util.HashMap<>();
    try (BenchDb db = BenchDb.h2()) {
      Map<String, String> env = new java.util.HashMap<>(db.env());
      env.put("HIVE_AUTH", auth ? "on" : "off");
      HubProcess.Started hub = HubProcess.start(options, env, jvm, false);
      try (Processes.Child child = hub.child()) {
        String base = "http://127.0.0.1:" + hub.port();
        String bearer = auth ? hub.bearer() : null;
        registerAgents(base, bearer, 8);
        fillJournal(base, bearer, Wrk.postScript(TASK, bearer), COMPARED_WITH_TASKS, notes);
        Path get = Wrk.getScript(bearer);
        for (String read : READS) {
          out.put(read, measure(base + read, 32, get, warmUp, each, options.runs()));
        }
      }
    }
    return out;
  }

  /**
   * Posts tasks until the journal holds at least {@code target}, then waits until the hub has run
   * them all, so reads are measured against a full journal on an otherwise idle hub.
   */
  private static long fillJournal(
      String base, String bearer, Path post, long target, List<String> notes) throws Exception {
    JsonNode status = status(base, bearer);
    while (total(status) < target) {
      Wrk.run(base + "/api/tasks", 32, Duration.ofSeconds(10), post);
      status = status(base, bearer);
    }
    long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
    while (status.path("in_flight").asLong() + sum(status.path("queue_depth")) > 0) {
      if (System.nanoTime() > deadline) {
        notes.add("http: the hub had not run every posted task after 10 minutes");
        break;
      }
      Thread.sleep(200); // allowed: the harness polls the hub it measures
      status = status(base, bearer);
    }
    return total(status);
  }

  private static JsonNode status(String base, String bearer) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                authorized(HttpRequest.newBuilder(URI.create(base + "/api/hive/status")), bearer)
                    .build(),
                HttpResponse.BodyHandlers.ofString());
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

  private static List<Wrk.Result> measure(
      String url, int connections, Path lua, Duration warmUp, Duration each, int runs)
      throws Exception {
    Wrk.run(url, connections, warmUp, lua);
    List<Wrk.Result> results = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      results.add(Wrk.run(url, connections, each, lua));
    }
    return results;
  }

  private static List<Figure> figures(
      String what, int c, List<Wrk.Result> runs, List<Wrk.Result> hello) {
    String name = what + ", " + c + " connections";
    String ceiling = "hello-world route, " + c + " connections";
    return List.of(
        Figure.of("http", name, runs.stream().map(Wrk.Result::requestsPerSecond).toList(), "req/s")
            .against(ceiling, hello.stream().map(Wrk.Result::requestsPerSecond).toList()),
        Figure.of("http", name + " p50", runs.stream().map(Wrk.Result::p50Ms).toList(), "ms")
            .against(ceiling, hello.stream().map(Wrk.Result::p50Ms).toList()),
        Figure.of("http", name + " p99", runs.stream().map(Wrk.Result::p99Ms).toList(), "ms")
            .against(ceiling, hello.stream().map(Wrk.Result::p99Ms).toList()));
  }

  private static HttpRequest.Builder authorized(HttpRequest.Builder b, String bearer) {
    return bearer == null ? b : b.header("Authorization", bearer);
  }

  /** {@code count} noop agents with capability {@code bench}, 8 tasks at a time each. */
  static void registerAgents(String base, String bearer, int count) throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    for (int i = 0; i < count; i++) {
      HttpResponse<String> r =
          client.send(
              authorized(HttpRequest.newBuilder(URI.create(base + "/api/agents")), bearer)
                  .header("Content-Type", "application/json")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"name\":\"bench-"
                              + i
                              + "\","
                              + "\"type\":\"worker\",\"skill\":\"noop\",\"max_concurrency\":8,"
                              + "\"capabilities\":[{\"name\":\"bench\",\"proficiency\":0.9}]}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 201) {
        throw new IllegalStateException("agent registration failed: " + r.body());
      }
    }
  }
}
