package io.agenthive.bench;

import static io.agenthive.bench.BenchHttp.get;
import static io.agenthive.bench.BenchHttp.post;

import com.fasterxml.jackson.databind.JsonNode;
import io.agenthive.referenceworker.ReferenceWorker;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Remote worker overhead: a hub process, the reference worker (a real WebSocket client, working 0
 * ms per task) and, beside it, an in-hub noop agent. Tasks run one at a time for each; the figure
 * is the attempt's run time as the hub's agent measured it (offer sent → answer back), so it is the
 * round trip through socket, session and link; the ceiling is the same measure for the noop skill,
 * which does nothing inside the hub.
 */
final class RemoteScenario {
  private static final String TOKEN = "bench-worker-token";

  private RemoteScenario() {}

  static List<Figure> run(Bench.Options options, List<String> notes) throws Exception {
    int tasks = options.quick() ? 20 : 500;
    try (BenchDb db = BenchDb.h2()) {
      Map<String, String> env = new HashMap<>(db.env());
      env.put("HIVE_WORKER_TOKEN", TOKEN);
      HubProcess.Started hub = HubProcess.start(options, env, List.of(), false);
      try (Processes.Child child = hub.child();
          ReferenceWorker worker =
              ReferenceWorker.connect(
                  new ReferenceWorker.Options(
                      "ws://127.0.0.1:" + hub.port() + "/ws/worker",
                      TOKEN,
                      "bench-remote",
                      null,
                      List.of("bench.remote=0.9"),
                      0))) {
        worker.agentId();
        String base = "http://127.0.0.1:" + hub.port();
        HttpClient http = HttpClient.newHttpClient();
        post(
            http,
            hub,
            base + "/api/agents",
            "{\"name\":\"bench-local\",\"type\":\"worker\","
                + "\"skill\":\"noop\",\"capabilities\":[{\"name\":\"bench.local\","
                + "\"proficiency\":0.9}]}");
        runAll(http, hub, base, "bench.remote", tasks / 2); // warm-up, not counted
        runAll(http, hub, base, "bench.local", tasks / 2);
        List<Double> remote = new ArrayList<>();
        List<Double> local = new ArrayList<>();
        for (int run = 0; run < options.runs(); run++) {
          remote.add(Figure.median(runAll(http, hub, base, "bench.remote", tasks)));
          local.add(Figure.median(runAll(http, hub, base, "bench.local", tasks)));
        }
        return List.of(
            Figure.of(
                    "remote",
                    "worker round trip per attempt (median of " + tasks + ")",
                    remote,
                    "ms")
                .against("noop skill in the hub", local));
      }
    }
  }

  /** Runs tasks one after another; the agent-measured run time of each, in ms. */
  private static List<Double> runAll(
      HttpClient http, HubProcess.Started hub, String base, String capability, int n)
      throws Exception {
    List<Double> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String id =
          post(
                  http,
                  hub,
                  base + "/api/tasks",
                  "{\"title\":\"bench\",\"input\":\"x\","
                      + "\"required_capabilities\":[{\"name\":\""
                      + capability
                      + "\",\"minimum_proficiency\":0.5}]}")
              .get("id")
              .asText();
      while (true) {
        JsonNode task = get(http, hub, base + "/api/tasks/" + id);
        if (task.get("status").asText().equals("completed")) {
          out.add(task.at("/result/duration_ms").asDouble());
          break;
        }
        Thread.sleep(10); // allowed: the harness polls for the end of one task
      }
    }
    return out;
  }
}
