package io.agenthive.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The seed hub's {@code metrics} object for {@code get_swarm_status}, derived from the hub's own
 * status counts (nothing estimated): the seed's clients read these flat figures, while ours keep
 * reading the status fields beside them.
 */
final class SwarmMetrics {
  private SwarmMetrics() {}

  /** The status as the API gave it, plus {@code metrics}. */
  static ObjectNode withMetrics(JsonNode status) {
    ObjectNode out = ((ObjectNode) status).deepCopy();
    out.set("metrics", of(status));
    return out;
  }

  static ObjectNode of(JsonNode status) {
    JsonNode agents = status.path("agents");
    JsonNode tasks = status.path("tasks");
    ObjectNode m = HubApi.JSON.createObjectNode();
    m.put("total_agents", sum(agents) - agents.path("retired").asLong());
    m.put("active_agents", agents.path("idle").asLong() + agents.path("working").asLong());
    m.put("working_agents", agents.path("working").asLong());
    m.put("total_tasks", sum(tasks));
    for (String state : new String[] {"pending", "running", "completed", "failed"}) {
      m.put(state + "_tasks", tasks.path(state).asLong());
    }
    m.put("queued_tasks", sum(status.path("queue_depth")));
    m.put("in_flight", status.path("in_flight").asLong());
    // null until a task has finished: no rate is not a 0% rate
    m.set("success_rate", orNull(status.path("success_rate")));
    double perSecond = status.path("tasks_per_second_last_minute").asDouble();
    m.put("tasks_per_second_last_minute", perSecond);
    m.put("tasks_completed_last_minute", Math.round(perSecond * 60));
    m.set("average_performance", orNull(status.path("average_performance")));
    m.set("uptime_ms", orNull(status.path("uptime_ms")));
    return m;
  }

  private static long sum(JsonNode counts) {
    long total = 0;
    for (JsonNode c : counts) {
      total += c.asLong();
    }
    return total;
  }

  /** A field the status left out is JSON null here, never an absent node written as nothing. */
  private static JsonNode orNull(JsonNode value) {
    return value.isMissingNode() ? HubApi.JSON.nullNode() : value;
  }
}
