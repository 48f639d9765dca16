package io.agenthive.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code batch_create_agents} in both shapes: the seed hub's {@code {count, type | agent_type}} (1
 * to 10 alike agents with generated names) and ours, an {@code agents} array of specs (up to 100).
 * One answer serves both clients: ours reads {@code created}, {@code failed} and {@code
 * total_created}; the seed's reads {@code success}, {@code created_count}, {@code agent_ids} and
 * {@code message}.
 */
final class AgentBatch {
  static final int MAX_COUNT = 10;
  private static final int MAX_LIST = 100;

  private AgentBatch() {}

  static Schema schema() {
    return SeedTools.agentSchema()
        .integer("count", "How many alike agents to register (the seed hub's form)", 1, MAX_COUNT)
        .array(
            "agents",
            "Or the agents one by one: [{type, specialization, name, capabilities, skill}]",
            SeedTools.agentSchema().build(),
            false);
  }

  static Object create(HiveTool.Call call) {
    Args a = call.args();
    if (a.has("agents") && a.has("count")) {
      throw ToolFailure.argument(
          "Invalid parameters", "count", "give count (with type) or agents, not both");
    }
    return a.has("agents") ? fromList(call) : counted(call);
  }

  /** The seed's form: the same spec {@code count} times, each with its own generated name. */
  private static ObjectNode counted(HiveTool.Call call) {
    Args a = call.args();
    int count = count(a);
    String type = SeedTools.agentType(a); // refused before any agent is made
    String prefix = a.has("name") ? a.string("name") : type;
    Set<String> fields = SeedTools.agentSchema().names();
    List<Map<String, Object>> specs = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Map<String, Object> spec = new LinkedHashMap<>();
      for (String field : fields) {
        if (a.has(field) && !field.equals("name")) {
          spec.put(field, a.raw(field));
        }
      }
      spec.put("name", SeedTools.generatedName(prefix));
      specs.add(spec);
    }
    return register(call.hub(), specs, "agent ");
  }

  private static int count(Args a) {
    JsonNode count = a.raw("count");
    if (count == null || count.isNull()) {
      throw ToolFailure.missing(
          "Missing required parameter: count",
          "count",
          "how many agents (1 to " + MAX_COUNT + "), or an agents array");
    }
    if (!count.isIntegralNumber() || count.asLong() < 1 || count.asLong() > MAX_COUNT) {
      throw ToolFailure.argument(
          "Invalid count",
          "count",
          "must be a whole number from 1 to " + MAX_COUNT + " (got " + count + ")");
    }
    return count.asInt();
  }

  /** Our form: each spec as create_swarm_agent takes it. */
  private static ObjectNode fromList(HiveTool.Call call) {
    Args a = call.args();
    for (String field : SeedTools.agentSchema().names()) {
      if (a.has(field)) {
        throw ToolFailure.argument(
            "Invalid parameters", field, "goes inside each of agents, or with count");
      }
    }
    JsonNode agents = a.raw("agents");
    if (!agents.isArray() || agents.isEmpty()) {
      throw ToolFailure.argument("agents", "must be a non-empty array of agents");
    }
    if (agents.size() > MAX_LIST) {
      throw ToolFailure.argument("agents", "holds at most " + MAX_LIST + " agents");
    }
    List<Map<String, Object>> specs = new ArrayList<>();
    for (JsonNode agent : agents) {
      @SuppressWarnings("unchecked")
      Map<String, Object> spec = HubApi.JSON.convertValue(agent, Map.class);
      specs.add(spec);
    }
    return register(call.hub(), specs, "agents[");
  }

  /** Registers each spec; one refused does not stop the rest. */
  private static ObjectNode register(
      HubApi.Caller hub, List<Map<String, Object>> specs, String errorPrefix) {
    ObjectNode out = HubApi.JSON.createObjectNode();
    ArrayNode created = out.putArray("created");
    ArrayNode failed = out.putArray("failed");
    ArrayNode ids = HubApi.JSON.createArrayNode();
    for (int i = 0; i < specs.size(); i++) {
      try {
        Args spec = Args.of(specs.get(i), SeedTools.agentSchema().names());
        JsonNode agent = hub.post("/api/agents", SeedTools.agentBody(spec));
        String id = agent.path("id").asText();
        created.addObject().put("index", i).put("agent_id", id);
        ids.add(id);
      } catch (ToolFailure | IllegalArgumentException e) {
        String where = errorPrefix.endsWith("[") ? errorPrefix + i + "]." : errorPrefix + i + ": ";
        failed.addObject().put("index", i).put("error", where + e.getMessage());
      }
    }
    out.put("success", failed.isEmpty());
    out.put("total_created", created.size());
    out.put("created_count", created.size());
    out.set("agent_ids", ids);
    out.put(
        "message",
        failed.isEmpty()
            ? "created " + created.size() + " agents"
            : "created " + created.size() + " of " + specs.size() + " agents; see failed for why");
    return out;
  }
}
