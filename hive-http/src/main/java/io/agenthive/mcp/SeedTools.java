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
  private static final int MAX_TEXT = 200_000;
  private static final int MAX_BATCH = 100;

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
            call -> call.hub().get("/api/hive/status")),
        HiveTool.of(
            "analyze_with_nlp",
            "Analyse English text with the hive's text-analysis skill: sentences, tokens,"
                + " keywords, lexicon sentiment with negation.",
            READ_ONLY,
            Schema.object().string("text", "The text to analyse (up to 200,000 characters)", true),
            call -> analyze(call.args().requiredString("text"))),
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
                    List.of("default", "aggressive", "balanced", "conservative"),
                    false),
            call -> Coordination.advise(call.hub(), call.args().string("strategy"))),
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
            call -> systemInfo(call.hub())),
        HiveTool.of(
            "list_agents",
            "Agents with their capabilities, state and stats; filters and paging as the API.",
            READ_ONLY,
            Schema.object()
                .string("state", "idle, working, paused, failed, retired or disconnected", false)
                .string("capability", "Only agents with this capability", false)
                .string("type", "Only agents of this type", false)
                .integer("limit", "Page size (default 100)", 1, 1000)
                .string("cursor", "next_cursor of the previous page", false),
            call -> call.hub().get("/api/agents" + Query.of(call.args()))),
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
            "Register several agents (up to 100), each as create_swarm_agent takes it; reports"
                + " each one's id or why it was refused.",
            CHANGES,
            Schema.object()
                .array(
                    "agents",
                    "The agents: [{type, specialization, name, capabilities, skill}]",
                    agentSchema().build(),
                    true),
            SeedTools::batch));
  }

  private static Schema agentSchema() {
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

  static ObjectNode agentBody(Args a) {
    String type = a.has("type") ? a.string("type") : a.string("agent_type");
    if (type == null) {
      throw ToolFailure.argument("type", "is required: one of " + AGENT_TYPES);
    }
    if (!AGENT_TYPES.contains(type.toLowerCase(Locale.ROOT))) {
      throw ToolFailure.argument("type", "must be one of " + AGENT_TYPES + " (got " + type + ")");
    }
    ObjectNode body = HubApi.JSON.createObjectNode();
    String lower = type.toLowerCase(Locale.ROOT);
    String name = a.string("name");
    body.put(
        "name", name != null ? name : lower + "-" + UUID.randomUUID().toString().substring(0, 8));
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

  private static Object batch(HiveTool.Call call) {
    JsonNode agents = call.args().raw("agents");
    if (agents == null || !agents.isArray() || agents.isEmpty()) {
      throw ToolFailure.argument("agents", "must be a non-empty array of agents");
    }
    if (agents.size() > MAX_BATCH) {
      throw ToolFailure.argument("agents", "holds at most " + MAX_BATCH + " agents");
    }
    ObjectNode out = HubApi.JSON.createObjectNode();
    ArrayNode created = out.putArray("created");
    ArrayNode failed = out.putArray("failed");
    for (int i = 0; i < agents.size(); i++) {
      try {
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = HubApi.JSON.convertValue(agents.get(i), Map.class);
        JsonNode agent =
            call.hub().post("/api/agents", agentBody(Args.of(spec, agentSchema().names())));
        created.addObject().put("index", i).put("agent_id", agent.path("id").asText());
      } catch (ToolFailure | IllegalArgumentException e) {
        failed.addObject().put("index", i).put("error", "agents[" + i + "]." + e.getMessage());
      }
    }
    out.put("success", failed.isEmpty());
    out.put("total_created", created.size());
    return out;
  }

  static String priority(Args a) {
    String p = a.string("priority");
    if (p == null) {
      return "medium";
    }
    String lower = p.toLowerCase(Locale.ROOT);
    if (!PRIORITIES.contains(lower)) {
      throw ToolFailure.argument("priority", "must be one of " + PRIORITIES + " (got " + p + ")");
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

  private static ObjectNode analyze(String text) {
    if (text.length() > MAX_TEXT) {
      throw ToolFailure.argument("text", "holds at most " + MAX_TEXT + " characters");
    }
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

  private static ObjectNode systemInfo(HubApi.Caller hub) {
    JsonNode resources = hub.get("/api/resources");
    JsonNode system = resources.path("system_resources");
    JsonNode status = hub.get("/api/hive/status");
    ObjectNode out = HubApi.JSON.createObjectNode();
    out.set("hostname", system.path("hostname"));
    out.set("os", system.path("os"));
    out.set("arch", system.path("arch"));
    out.set("cpu_count", system.path("cpu_cores"));
    out.set("hive_id", status.path("hive_id"));
    out.set("version", status.path("version"));
    out.set("uptime_ms", status.path("uptime_ms"));
    out.setAll((ObjectNode) resources);
    return out;
  }
}
