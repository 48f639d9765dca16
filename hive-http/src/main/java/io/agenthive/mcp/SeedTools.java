package io.agenthive.mcp;

import static io.agenthive.mcp.HiveTool.Kind.CHANGES;
import static io.agenthive.mcp.HiveTool.Kind.READ_ONLY;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agenthive.skill.text.TextAnalyzer;
import io.agenthive.skill.text.TextResources;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The seed hub's twelve tools, with its names, argument names and result fields, so clients written
 * for it keep working, but each one doing what its name says against the real hive.
 */
final class SeedTools {
  static final List<String> AGENT_TYPES = List.of("worker", "coordinator", "specialist", "learner");
  static final List<String> PRIORITIES = List.of("low", "medium", "high", "critical");
  static final List<String> STRATEGIES =
      List.of("default", "aggressive", "balanced", "conservative");
  private static final int MAX_TEXT = 200_000;

  private SeedTools() {}

  static List<HiveTool> all() {
    return List.of(
        HiveTool.of(
            "create_swarm_agent",
            "Register an agent in the hive. A specialization becomes the agent's capability"
                + " (proficiency 0.7) unless capabilities are given. Needs an admin key.",
            CHANGES,
            agentSchema(),
            call -> {
              JsonNode agent = call.hub().post("/api/agents", agentBody(call.args()));
              ObjectNode out = HubApi.JSON.createObjectNode();
              out.put("success", true);
              out.put("agent_id", agent.path("id").asText());
              out.put("message", "agent " + agent.path("name").asText() + " registered");
              out.put("cache_invalidated", true);
              out.set("agent", agent);
              return out;
            }),
        HiveTool.of(
            "assign_swarm_task",
            "Submit a task; the hive routes it to the best-fitting agent and runs it. Returns"
                + " its id at once (use wait_for_task to wait). Needs an operator key.",
            CHANGES,
            Schema.object()
                .string("description", "What the task is; also its title", true)
                .string("priority", "low, medium (default), high or critical; any case", false)
                .string("task_type", "A free-form type label (default general)", false)
                .array(
                    "required_capabilities",
                    "Capabilities the agent needs: [{name, minimum_proficiency}]",
                    Map.of("type", "object"),
                    false)
                .any("input", "The task's input, passed to the agent's skill", false),
            call -> {
              Args a = call.args();
              ObjectNode body = HubApi.JSON.createObjectNode();
              body.put("title", a.requiredString("description"));
              body.put("description", a.requiredString("description"));
              body.put("priority", priority(a));
              if (a.has("task_type")) {
                body.put("type", a.string("task_type"));
              }
              copy(a, body, "required_capabilities", "input");
              JsonNode task = call.hub().post("/api/tasks", body);
              ObjectNode out = HubApi.JSON.createObjectNode();
              out.put("success", true);
              out.put("task_id", task.path("id").asText());
              out.put("message", "task queued with priority " + task.path("priority").asText());
              out.set("task", task);
              return out;
            }),
        HiveTool.of(
            "get_swarm_status",
            "The hive's counts now: agents by state, tasks by status, queue depth by priority,"
                + " success rate and throughput.",
            READ_ONLY,
            Schema.object(),
            call -> SwarmMetrics.withMetrics(call.hub().get("/api/hive/status"))),
        HiveTool.of(
            "analyze_with_nlp",
            "Analyse English text with the hive's text-analysis skill: sentences, tokens,"
                + " keywords, lexicon sentiment with negation.",
            READ_ONLY,
            Schema.object().string("text", "The text to analyse (up to 200,000 characters)", true),
            call -> analyze(text(call.args()))),
        HiveTool.of(
            "coordinate_agents",
            "Recommendations from the live queue and agents: idle capacity, capabilities that"
                + " waiting tasks need and no agent has, priorities that starve.",
            READ_ONLY,
            Schema.object()
                .choice(
                    "strategy",
                    "How eager the advice is: aggressive flags waits over 10 s, balanced"
                        + " (default) over 30 s, conservative over 120 s",
                    STRATEGIES,
                    false),
            call -> Coordination.advise(call.hub(), strategy(call.args()))),
        HiveTool.of(
            "echo",
            "Echo a message back with the hub's time: checks the connection end to end.",
            READ_ONLY,
            Schema.object().string("message", "Anything", true),
            call -> {
              call.hub().get("/api/auth/me"); // end to end: the hub answers this key
              return Map.of(
                  "echo",
                  call.args().requiredString("message"),
                  "timestamp",
                  Instant.now().toString());
            }),
        HiveTool.of(
            "system_info",
            "The hub's machine: host name, OS, architecture, cores, memory, CPU load, JVM heap,"
                + " and the hub's version and uptime.",
            READ_ONLY,
            Schema.object(),
            call -> SystemInfo.of(call.hub())),
        HiveTool.of(
            "list_agents",
            "Agents with their capabilities, state and stats; filters and paging as the API."
                + " The page is in both items (the API's name) and agents (the seed's), with"
                + " count (this page) and total (every match).",
            READ_ONLY,
            Schema.object()
                .string("state", "idle, working, paused, failed, retired or disconnected", false)
                .string("capability", "Only agents with this capability", false)
                .string("type", "Only agents of this type", false)
                .integer("limit", "Page size (default 100)", 1, 1000)
                .string("cursor", "next_cursor of the previous page", false),
            call -> agentList(call.hub().get("/api/agents" + Query.of(call.args())))),
        HiveTool.of(
            "list_tasks",
            "Tasks, newest first; filters and paging as the API.",
            READ_ONLY,
            Schema.object()
                .string(
                    "status", "pending, assigned, running, completed, failed or cancelled", false)
                .string("priority", "low, medium, high or critical", false)
                .string("agent_id", "Only tasks assigned to this agent", false)
                .integer("limit", "Page size (default 100)", 1, 1000)
                .string("cursor", "next_cursor of the previous page", false),
            call -> call.hub().get("/api/tasks" + Query.of(call.args()))),
        HiveTool.of(
            "get_agent_details",
            "One agent now: capabilities with proficiency and learning rate, state, stats.",
            READ_ONLY,
            Schema.object().string("agent_id", "The agent's id", true),
            call -> call.hub().get("/api/agents/" + call.args().id("agent_id"))),
        HiveTool.of(
            "get_task_details",
            "One task now: status, attempts, assigned agent and why, result.",
            READ_ONLY,
            Schema.object().string("task_id", "The task's id", true),
            call -> call.hub().get("/api/tasks/" + call.args().id("task_id"))),
        HiveTool.of(
            "batch_create_agents",
            "Register several agents: count (1-10) alike, of one type, with generated names (the"
                + " seed hub's form), or an agents array (up to 100), each as create_swarm_agent"
                + " takes it. Reports each one's id or why it was refused.",
            CHANGES,
            AgentBatch.schema(),
            AgentBatch::create));
  }

  static Schema agentSchema() {
    return Schema.object()
        .string("type", "worker, coordinator, specialist or learner; any case", false)
        .string("agent_type", "The seed hub's name for type", false)
        .string("specialization", "A capability name for the agent", false)
        .string("name", "A name (default: type plus a short id)", false)
        .array(
            "capabilities",
            "[{name, proficiency, learning_rate}]; overrides specialization",
            Map.of("type", "object"),
            false)
        .any("skill", "The skill that runs its tasks (default simulated)", false);
  }

  /** The agent type, from {@code type} or the seed's {@code agent_type}, in lower case. */
  static String agentType(Args a) {
    String field = a.has("type") ? "type" : "agent_type";
    JsonNode given = a.raw(field);
    if (given == null || given.isNull()) {
      throw ToolFailure.missing(
          "Missing required parameter: agent_type",
          "type",
          "one of " + AGENT_TYPES + " as type or agent_type");
    }
    String type = given.asText();
    if (!given.isTextual() || !AGENT_TYPES.contains(type.toLowerCase(Locale.ROOT))) {
      throw ToolFailure.argument(
          "Invalid agent type",
          field,
          "must be one of " + AGENT_TYPES + " (got " + (given.isTextual() ? type : given) + ")");
    }
    return type.toLowerCase(Locale.ROOT);
  }

  /** A readable name that will not collide: {@code worker-3f2a9c1e}. */
  static String generatedName(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  static ObjectNode agentBody(Args a) {
    String lower = agentType(a);
    ObjectNode body = HubApi.JSON.createObjectNode();
    String name = a.string("name");
    body.put("name", name != null ? name : generatedName(lower));
    String specialization = a.string("specialization");
    body.put(
        "type",
        lower.equals("specialist") && specialization != null
            ? "specialist:" + specialization
            : lower);
    if (a.has("capabilities")) {
      body.set("capabilities", a.raw("capabilities"));
    } else if (specialization != null) {
      body.putArray("capabilities").addObject().put("name", specialization).put("proficiency", 0.7);
    }
    copy(a, body, "skill");
    return body;
  }

  static String priority(Args a) {
    String p = a.string("priority");
    if (p == null) {
      return "medium";
    }
    String lower = p.toLowerCase(Locale.ROOT);
    if (!PRIORITIES.contains(lower)) {
      throw ToolFailure.argument(
          "Invalid priority", "priority", "must be one of " + PRIORITIES + " (got " + p + ")");
    }
    return lower;
  }

  static void copy(Args a, ObjectNode body, String... names) {
    for (String n : names) {
      if (a.has(n)) {
        body.set(n, a.raw(n));
      }
    }
  }

  private static String strategy(Args a) {
    String s = a.string("strategy");
    if (s == null) {
      return null;
    }
    String lower = s.toLowerCase(Locale.ROOT);
    if (!STRATEGIES.contains(lower)) {
      throw ToolFailure.argument(
          "Invalid strategy", "strategy", "must be one of " + STRATEGIES + " (got " + s + ")");
    }
    return lower;
  }

  private static String text(Args a) {
    String text = a.string("text");
    if (text == null || text.isBlank()) {
      throw ToolFailure.missing("Missing text to analyze", "text");
    }
    if (text.length() > MAX_TEXT) {
      throw ToolFailure.argument("text", "holds at most " + MAX_TEXT + " characters");
    }
    return text;
  }

  /**
   * The API's page with the seed's names added: {@code agents} (the same list as {@code items}) and
   * {@code count}; the seed's clients parse the tool's text as this object.
   */
  private static ObjectNode agentList(JsonNode page) {
    ObjectNode out = ((ObjectNode) page).deepCopy();
    JsonNode items = page.path("items");
    out.set("agents", items.isArray() ? items : HubApi.JSON.createArrayNode());
    out.put("count", items.size());
    return out;
  }

  private static ObjectNode analyze(String text) {
    ObjectNode analysis = new TextAnalyzer(TextResources.get()).analyze(text);
    ObjectNode out = HubApi.JSON.createObjectNode();
    out.put("sentiment", analysis.path("sentiment").path("label").asText("neutral"));
    ArrayNode keywords = out.putArray("keywords");
    analysis.path("keywords").forEach(k -> keywords.add(k.path("word").asText()));
    out.put("length", text.length());
    out.put("word_count", analysis.path("statistics").path("words").asLong());
    out.set("analysis", analysis);
    return out;
  }
}
