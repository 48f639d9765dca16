package io.agenthive.skill.llm;

import com.fasterxml.jackson.databind.JsonNode;
import io.agenthive.access.Role;
import io.agenthive.common.FieldError;
import io.agenthive.common.Validator;
import io.agenthive.skill.guard.EndpointGuards;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The tools an {@code llm} agent's model may call, from its config's {@code tools}:
 *
 * <pre>{"hive": ["submit_task", "wait_for_task", "get_task", "search_tasks"],
 *  "role": "viewer" | "operator",
 *  "mcp": [{"name": "files", "url": "http://host:port/mcp", "allow": ["read_file"]}],
 *  "max_steps": 8, "max_calls_per_step": 8, "max_wall_ms": 120000}</pre>
 *
 * The hive's tools act as the agent ({@code agent:<id>}) with {@code role} (viewer unless it says
 * operator), never admin. Each MCP server (Streamable HTTP) is reached under the skills' egress
 * policy, and only the tools its {@code allow} names are offered; a call of any other is refused
 * and the model told so. The loop makes at most {@code max_steps} model calls, runs at most {@code
 * max_calls_per_step} of the tools one answer asks for (the rest are refused, and the model told),
 * and ends within {@code max_wall_ms}.
 */
record ToolsConfig(
    List<String> hive,
    Role role,
    List<McpServer> mcp,
    int maxSteps,
    Duration maxWall,
    int maxCallsPerStep) {

  static final Set<String> HIVE_TOOLS =
      Set.of("submit_task", "wait_for_task", "get_task", "search_tasks", "await_subtasks");
  static final int MAX_SERVERS = 8;
  static final int MAX_ALLOWED = 64;

  /** One MCP server: its name prefixes its tools ({@code files__read_file}). */
  record McpServer(String name, String url, Set<String> allow) {}

  static ToolsConfig parse(JsonNode t) {
    List<String> hive = new ArrayList<>();
    t.path("hive").forEach(n -> hive.add(n.asText()));
    List<McpServer> mcp = new ArrayList<>();
    for (JsonNode s : t.path("mcp")) {
      Set<String> allow = new HashSet<>();
      s.path("allow").forEach(n -> allow.add(n.asText()));
      mcp.add(new McpServer(s.path("name").asText(), s.path("url").asText(), Set.copyOf(allow)));
    }
    return new ToolsConfig(
        List.copyOf(hive),
        Role.parse(t.path("role").asText("viewer")).orElse(Role.VIEWER),
        List.copyOf(mcp),
        t.path("max_steps").asInt(8),
        Duration.ofMillis(t.path("max_wall_ms").asLong(120_000)),
        t.path("max_calls_per_step").asInt(8));
  }

  static List<FieldError> validate(JsonNode t) {
    Validator v = new Validator();
    if (!t.isObject()) {
      return v.require(false, "tools", "must be an object: {hive, role, mcp, max_steps}").errors();
    }
    JsonNode hive = t.path("hive");
    v.require(
        hive.isMissingNode()
            || hive.isArray()
                && allMatch(hive, n -> n.isTextual() && HIVE_TOOLS.contains(n.asText())),
        "tools.hive",
        "must list some of submit_task, wait_for_task, get_task, search_tasks, await_subtasks");
    String role = t.path("role").asText("viewer");
    v.require(
        role.equals("operator") || role.equals("viewer"),
        "tools.role",
        "must be operator or viewer: an agent's tools never act as admin");
    JsonNode mcp = t.path("mcp");
    v.require(
        mcp.isMissingNode() || mcp.isArray() && mcp.size() <= MAX_SERVERS,
        "tools.mcp",
        "must be a list of at most " + MAX_SERVERS + " servers");
    Set<String> names = new HashSet<>();
    int i = 0;
    for (JsonNode s : mcp.isArray() ? mcp : List.<JsonNode>of()) {
      String at = "tools.mcp[" + i++ + "]";
      String name = s.path("name").asText("");
      v.require(
          name.matches("[a-z0-9][a-z0-9_-]{0,31}") && !name.contains("__") && names.add(name),
          at + ".name",
          "must be a unique name of 1..32 lowercase letters, digits, - or _ (no __)");
      v.require(
          EndpointGuards.isHttpUrl(s.path("url").asText(null)),
          at + ".url",
          "must be the absolute http:// or https:// URL of a Streamable HTTP MCP endpoint");
      JsonNode allow = s.path("allow");
      v.require(
          allow.isArray()
              && !allow.isEmpty()
              && allow.size() <= MAX_ALLOWED
              && allMatch(allow, n -> n.isTextual() && !n.asText().isBlank()),
          at + ".allow",
          "must list the tool names this agent may call (1.." + MAX_ALLOWED + ")");
    }
    JsonNode steps = t.path("max_steps");
    v.require(
        steps.isMissingNode()
            || steps.canConvertToInt() && steps.asInt() >= 1 && steps.asInt() <= 32,
        "tools.max_steps",
        "must be 1..32 model calls");
    JsonNode calls = t.path("max_calls_per_step");
    v.require(
        calls.isMissingNode()
            || calls.canConvertToInt() && calls.asInt() >= 1 && calls.asInt() <= 32,
        "tools.max_calls_per_step",
        "must be 1..32 tool calls");
    JsonNode wall = t.path("max_wall_ms");
    v.require(
        wall.isMissingNode()
            || wall.canConvertToLong() && wall.asLong() >= 1000 && wall.asLong() <= 600_000,
        "tools.max_wall_ms",
        "must be 1000..600000");
    return v.errors();
  }

  /** Every MCP server's URL, for the egress policy's check at registration. */
  List<String> urls() {
    return mcp.stream().map(McpServer::url).toList();
  }

  private static boolean allMatch(JsonNode array, java.util.function.Predicate<JsonNode> test) {
    for (JsonNode n : array) {
      if (!test.test(n)) {
        return false;
      }
    }
    return true;
  }
}
