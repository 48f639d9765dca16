package io.agenthive.mcp;

import static io.agenthive.mcp.HiveTool.Kind.READ_ONLY;

import io.agenthive.security.HubTokens;
import io.agenthive.skill.tools.HiveToolbox;
import io.agenthive.skill.tools.ToolAnswer;
import io.agenthive.skill.tools.ToolCaller;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The hive's tools for agents' tool loops: {@code submit_task} and {@code wait_for_task} as MCP
 * clients have them, {@code get_task}, {@code search_tasks}, and {@code await_subtasks} ({@link
 * AwaitSubtasksTool}), which ends the attempt while its subtasks run. Each call goes through the
 * hub's own API in-process with a token made for {@code agent:<id>} and the role of the agent's
 * tools, so the API's guard, roles, validation and bounds apply as for any caller, and the journal
 * records the agent as the one who acted. A {@code submit_task} without an {@code idempotency_key}
 * gets the attempt's call id ({@code <task>:<run>:<step>.<call>}): a model that asks again in the
 * same place does not make a second task. Its {@code parent_id} is always the agent's own task, so
 * cancelling that cancels what the agent made, and the tree's bounds hold. A {@code wait_for_task}
 * waits no longer than the loop has left.
 */
public final class AgentToolbox implements HiveToolbox {
  static final Set<String> NAMES =
      Set.of("submit_task", "wait_for_task", "get_task", "search_tasks", AwaitSubtasksTool.NAME);

  private final HubApi hub;
  private final HubTokens tokens;
  private final Map<String, HiveTool> tools = new HashMap<>();
  private final List<McpSchema.Tool> definitions;
  private final Map<String, HubTokens.Issued> issued =
      new java.util.concurrent.ConcurrentHashMap<>();

  AgentToolbox(HubApi hub, HubTokens tokens, TaskWaiter waiter) {
    this.hub = hub;
    this.tokens = tokens;
    for (HiveTool t : HiveTools.all(waiter)) {
      if (NAMES.contains(t.definition().name())) {
        tools.put(t.definition().name(), t);
      }
    }
    for (HiveTool t : List.of(getTask(), searchTasks(), AwaitSubtasksTool.definition())) {
      tools.put(t.definition().name(), t);
    }
    this.definitions = tools.values().stream().map(HiveTool::definition).toList();
  }

  private static HiveTool getTask() {
    return HiveTool.of(
        "get_task",
        "One task now: status, assigned agent, attempts, output or error.",
        READ_ONLY,
        Schema.object().string("task_id", "The task's id", true),
        call -> call.hub().get("/api/tasks/" + call.args().id("task_id")));
  }

  private static HiveTool searchTasks() {
    return HiveTool.of(
        "search_tasks",
        "Tasks whose title or description match words, newest first, optionally by status.",
        READ_ONLY,
        Schema.object()
            .string("q", "Words to search for", false)
            .string("status", "pending, running, completed, failed or cancelled", false)
            .integer("limit", "At most this many (default 20)", 1, 100),
        call -> {
          Args a = call.args();
          String query = Query.of(a, "q", "status");
          int limit = a.integer("limit", 20, 1, 100);
          return call.hub()
              .get("/api/tasks" + query + (query.isEmpty() ? "?" : "&") + "limit=" + limit);
        });
  }

  /**
   * A token for the agent and role, made once and used until a minute before it expires: a call
   * costs no signature, and the authenticator's cache holds one entry per agent, not per call.
   */
  private String token(ToolCaller caller) {
    String key = caller.agentId() + "|" + caller.role().label();
    HubTokens.Issued held = issued.get(key);
    if (held == null || held.expiresAt().minusSeconds(60).isBefore(java.time.Instant.now())) {
      held = tokens.issueForAgent(caller.agentId(), caller.role());
      issued.put(key, held);
    }
    return held.token();
  }

  @Override
  public List<McpSchema.Tool> tools() {
    return definitions;
  }

  @Override
  public ToolAnswer call(String name, Map<String, Object> arguments, ToolCaller caller) {
    HiveTool tool = tools.get(name);
    if (tool == null) {
      return ToolAnswer.error("no hive tool named " + name);
    }
    Map<String, Object> args = new HashMap<>(arguments);
    if (name.equals("submit_task")) {
      args.putIfAbsent("idempotency_key", caller.attemptId());
      // always a subtask of the task the agent works on: a model may not hang its tasks elsewhere
      // in the tree (past the depth bound) or make tasks that nothing cancels with its own
      args.put("parent_id", caller.taskId());
    } else if (name.equals("wait_for_task") && caller.deadline() != null) {
      // never longer than the loop has left
      long left =
          java.time.Duration.between(java.time.Instant.now(), caller.deadline()).toSeconds();
      Object asked = args.get("timeout_seconds");
      long wanted = asked instanceof Number n ? n.longValue() : 60;
      args.put("timeout_seconds", Math.max(1, Math.min(wanted, left)));
    }
    String token = token(caller);
    if (name.equals(AwaitSubtasksTool.NAME)) {
      return AwaitSubtasksTool.call(arguments, caller, hub.as(token));
    }
    McpSchema.CallToolResult result =
        McpServers.run(
            tool,
            new McpSchema.CallToolRequest(name, args),
            hub.as(token),
            HiveTool.Progress.NONE,
            ArgumentErrors.TOOL_RESULT);
    StringBuilder text = new StringBuilder();
    for (McpSchema.Content c : result.content()) {
      if (c instanceof McpSchema.TextContent t) {
        text.append(t.text());
      }
    }
    return Boolean.TRUE.equals(result.isError())
        ? ToolAnswer.error(text.toString())
        : ToolAnswer.ok(text.toString());
  }
}
