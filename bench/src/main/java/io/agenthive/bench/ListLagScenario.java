package io.agenthive.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Scenario {@code lists}: how long after its 201 a new agent appears in {@code /api/agents} and a
 * new task in {@code /api/tasks}, which read the projection's tables, not the entities. Probes on
 * an idle hub first (the comparison row: the projection's own poll and batch), then while wrk posts
 * durable tasks as fast as the hub takes them. Each probe polls its list every 5 ms.
 */
final class ListLagScenario {
  private static final String TASK =
      "{\"title\":\"load\",\"priority\":\"high\","
          + "\"required_capabilities\":[{\"name\":\"bench\",\"minimum_proficiency\":0.5}]}";
  private static final Duration GIVE_UP = Duration.ofSeconds(60);

  private ListLagScenario() {}

  record Lags(List<Double> agents, List<Double> tasks) {}

  static List<Figure> run(Bench.Options options, List<String> notes) throws Exception {
    int probes = options.quick() ? 8 : 30;
    try (BenchDb db = BenchDb.h2()) {
      HubProcess.Started hub =
          HubProcess.start(options, db.env(), HttpScenario.LOADED_HUB_JVM, false);
      try (Processes.Child child = hub.child()) {
        String base = "http://127.0.0.1:" + hub.port();
        HttpClient http = HttpClient.newHttpClient();
        HttpScenario.registerAgents(base, hub.bearer(), 8);
        Lags idle = probe(http, hub, base, "idle", probes);
        List<Figure> out = new ArrayList<>();
        if (!Wrk.ensureInstalled(notes)) {
          notes.add("lists: wrk is not installed, so only the idle hub was probed");
          out.add(Figure.of("lists", "agent listed after its 201, idle hub", idle.agents(), "ms"));
          out.add(Figure.of("lists", "task listed after its 201, idle hub", idle.tasks(), "ms"));
          return out;
        }
        Path post = Wrk.postScript(TASK, hub.bearer());
        Duration loadFor = Duration.ofSeconds(options.quick() ? 20 : 90);
        var load =
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    return Wrk.run(base + "/api/tasks", 32, loadFor, post);
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                });
        Thread.sleep(3_000); // allowed: the load gets going before the first probe
        Lags busy = probe(http, hub, base, "busy", probes);
        Wrk.Result loaded = load.get();
        notes.add(
            String.format(
                "lists: background load %,.0f durable task posts/s (32"
                    + " connections) while probing; %d probes of each list per phase, the figure's"
                    + " min / median / max are over probes",
                loaded.requestsPerSecond(), probes));
        out.add(
            Figure.of("lists", "agent listed after its 201, under load", busy.agents(), "ms")
                .against("the same on the idle hub", idle.agents()));
        out.add(
            Figure.of("lists", "task listed after its 201, under load", busy.tasks(), "ms")
                .against("the same on the idle hub", idle.tasks()));
        out.add(
            Figure.of(
                "lists",
                "p95 of agent listed after its 201, under load",
                List.of(Figure.percentile(busy.agents(), 95)),
                "ms"));
        out.add(
            Figure.of(
                "lists",
                "p95 of task listed after its 201, under load",
                List.of(Figure.percentile(busy.tasks(), 95)),
                "ms"));
        return out;
      }
    }
  }

  private static Lags probe(
      HttpClient http, HubProcess.Started hub, String base, String phase, int probes)
      throws Exception {
    List<Double> agents = new ArrayList<>();
    List<Double> tasks = new ArrayList<>();
    for (int i = 0; i < probes; i++) {
      String capability = "probe-" + phase + "-" + i;
      long t0 = System.nanoTime();
      BenchHttp.post(
          http,
          hub,
          base + "/api/agents",
          "{\"name\":\""
              + capability
              + "\","
              + "\"type\":\"worker\",\"skill\":\"noop\","
              + "\"capabilities\":[{\"name\":\""
              + capability
              + "\",\"proficiency\":0.5}]}");
      agents.add(
          waitFor(
              t0,
              () ->
                  BenchHttp.get(http, hub, base + "/api/agents?capability=" + capability)
                          .path("items")
                          .size()
                      > 0));
      // needs a capability nobody has: it stays pending, so it is always in the low list
      long t1 = System.nanoTime();
      String id =
          BenchHttp.post(
                  http,
                  hub,
                  base + "/api/tasks",
                  "{\"title\":\"probe\","
                      + "\"priority\":\"low\",\"required_capabilities\":[{\"name\":\"nobody-"
                      + capability
                      + "\",\"minimum_proficiency\":0.5}]}")
              .path("id")
              .asText();
      tasks.add(
          waitFor(
              t1,
              () ->
                  contains(
                      BenchHttp.get(http, hub, base + "/api/tasks?priority=low&limit=100"), id)));
    }
    return new Lags(agents, tasks);
  }

  private static boolean contains(JsonNode page, String id) {
    for (JsonNode task : page.path("items")) {
      if (task.path("id").asText().equals(id)) {
        return true;
      }
    }
    return false;
  }

  interface Check {
    boolean holds() throws Exception;
  }

  /** Milliseconds from {@code t0} (just before the write) until {@code check} holds. */
  private static double waitFor(long t0, Check check) throws Exception {
    while (!check.holds()) {
      if (System.nanoTime() - t0 > GIVE_UP.toNanos()) {
        throw new IllegalStateException("not listed after " + GIVE_UP.toSeconds() + " s");
      }
      Thread.sleep(5); // allowed: the probe polls the list it measures
    }
    return (System.nanoTime() - t0) / 1e6;
  }
}
