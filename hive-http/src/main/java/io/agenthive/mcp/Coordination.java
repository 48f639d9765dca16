package io.agenthive.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code coordinate_agents}: advice computed from the hive as it is (the status counts, up to a
 * thousand agents and the thousand newest waiting tasks), not canned scores. It names idle
 * capacity, capabilities that waiting tasks need and no working agent has, priorities whose oldest
 * task has waited past the strategy's threshold, and paused agents while work waits.
 */
final class Coordination {
  private static final Set<String> UNAVAILABLE =
      Set.of("retired", "failed", "disconnected", "paused");
  private static final int SAMPLE = 1000;

  private Coordination() {}

  static ObjectNode advise(HubApi.Caller hub, String strategy) {
    JsonNode status = hub.get("/api/hive/status");
    JsonNode agents = hub.get("/api/agents?limit=" + SAMPLE);
    JsonNode waiting = hub.get("/api/tasks?status=pending&order=oldest&limit=" + SAMPLE);
    return advise(status, agents, waiting, strategy == null ? "default" : strategy, Instant.now());
  }

  static Duration threshold(String strategy) {
    return switch (strategy) {
      case "aggressive" -> Duration.ofSeconds(10);
      case "conservative" -> Duration.ofSeconds(120);
      default -> Duration.ofSeconds(30);
    };
  }

  static ObjectNode advise(
      JsonNode status, JsonNode agents, JsonNode waiting, String strategy, Instant now) {
    Duration threshold = threshold(strategy);
    int freeSlots = 0;
    int slots = 0;
    ArrayNode paused = HubApi.JSON.createArrayNode();
    for (JsonNode a : agents.path("items")) {
      String state = a.path("state").asText();
      if (state.equals("idle") || state.equals("working")) {
        int max = a.path("max_concurrency").asInt(1);
        slots += max;
        freeSlots += Math.max(0, max - a.path("running_tasks").asInt());
      } else if (state.equals("paused")) {
        paused.add(a.path("id").asText());
      }
    }
    Map<String, int[]> uncovered = new TreeMap<>(); // name -> tasks waiting for it
    Map<String, Duration> oldest = new LinkedHashMap<>();
    for (JsonNode t : waiting.path("items")) {
      for (JsonNode need : t.path("required_capabilities")) {
        if (!covered(agents, need)) {
          uncovered.computeIfAbsent(need.path("name").asText(), n -> new int[1])[0]++;
        }
      }
      Duration waited = Duration.between(Instant.parse(t.path("created_at").asText()), now);
      oldest.merge(t.path("priority").asText(), waited, (x, y) -> x.compareTo(y) >= 0 ? x : y);
    }
    long queued = 0;
    for (JsonNode depth : status.path("queue_depth")) {
      queued += depth.asLong();
    }
    ObjectNode out = HubApi.JSON.createObjectNode();
    out.put("strategy", strategy);
    out.put("wait_threshold_seconds", threshold.toSeconds());
    out.set("agents", status.path("agents"));
    out.set("queue_depth", status.path("queue_depth"));
    out.put("slots", slots);
    out.put("free_slots", freeSlots);
    ObjectNode missing = out.putObject("uncovered_capabilities");
    uncovered.forEach((name, count) -> missing.put(name, count[0]));
    ArrayNode starving = out.putArray("starving_priorities");
    oldest.forEach(
        (priority, waited) -> {
          if (waited.compareTo(threshold) > 0) {
            starving
                .addObject()
                .put("priority", priority)
                .put("oldest_wait_seconds", waited.toSeconds());
          }
        });
    out.put("sampled", waiting.hasNonNull("next_cursor") || agents.hasNonNull("next_cursor"));
    ArrayNode advice = out.putArray("recommendations");
    uncovered.forEach(
        (name, count) ->
            advice
                .addObject()
                .put("kind", "missing_capability")
                .put(
                    "message",
                    count[0]
                        + " waiting task(s) need capability '"
                        + name
                        + "' and no available agent has it at the proficiency asked: register"
                        + " one"));
    if (freeSlots > 0 && queued > 0) {
      advice
          .addObject()
          .put("kind", "idle_capacity")
          .put(
              "message",
              freeSlots
                  + " free slot(s) while "
                  + queued
                  + " task(s) wait: the waiting tasks need capabilities the free agents lack");
    }
    boolean busy = freeSlots == 0 && queued > (strategy.equals("conservative") ? slots : 0);
    if (busy) {
      advice
          .addObject()
          .put("kind", "add_capacity")
          .put(
              "message",
              "all " + slots + " slot(s) are busy and " + queued + " task(s) wait: add agents");
    }
    for (JsonNode s : starving) {
      advice
          .addObject()
          .put("kind", "starving_priority")
          .put(
              "message",
              s.path("priority").asText()
                  + " tasks have waited up to "
                  + s.path("oldest_wait_seconds").asLong()
                  + " s (threshold "
                  + threshold.toSeconds()
                  + " s)");
    }
    if (!paused.isEmpty() && queued > 0) {
      advice
          .addObject()
          .put("kind", "paused_agents")
          .put("message", "resume paused agent(s) " + paused + " while " + queued + " task(s) wait")
          .set("agent_ids", paused);
    }
    if (advice.isEmpty()) {
      advice
          .addObject()
          .put("kind", "none")
          .put("message", "the hive keeps up: nothing waits past " + threshold.toSeconds() + " s");
    }
    return out;
  }

  private static boolean covered(JsonNode agents, JsonNode need) {
    String name = need.path("name").asText();
    double minimum = need.path("minimum_proficiency").asDouble(0);
    for (JsonNode a : agents.path("items")) {
      if (UNAVAILABLE.contains(a.path("state").asText())) {
        continue;
      }
      for (JsonNode c : a.path("capabilities")) {
        if (c.path("name").asText().equals(name) && c.path("proficiency").asDouble() >= minimum) {
          return true;
        }
      }
    }
    return false;
  }
}
