package io.agenthive.mcp;

import static io.agenthive.mcp.HiveTool.Kind.CHANGES;
import static io.agenthive.mcp.HiveTool.Kind.DESTRUCTIVE;
import static io.agenthive.mcp.HiveTool.Kind.READ_ONLY;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Agent Hive's own tools: the task life cycle, explanations, history, time travel, audit. */
final class HiveTools {
  private HiveTools() {}

  static List<HiveTool> all(TaskWaiter waiter) {
    return List.of(
        HiveTool.of(
            "submit_task",
            "Submit a task with required capabilities, a priority and an input; the hive routes"
                + " it to the best-fitting agent. Returns the task (status pending) at once.",
            CHANGES,
            Schema.object()
                .string("title", "A short title", true)
                .string("description", "What the task is", false)
                .string("type", "A free-form type label (default general)", false)
                .choice("priority", "default medium", SeedTools.PRIORITIES, false)
                .array(
                    "required_capabilities",
                    "Capabilities the agent needs: [{name, minimum_proficiency}]",
                    Map.of("type", "object"),
                    false)
                .any("input", "The task's input, passed to the agent's skill", false)
                .integer("max_attempts", "Attempts before it fails (default 3)", 1, 100)
                .array(
                    "escalation",
                    "At most 5 rungs [{capability, minimum_proficiency}]: attempt n needs rung n's"
                        + " capability, later attempts the last rung's",
                    Map.of("type", "object"),
                    false)
                .string("idempotency_key", "Submitting the same key twice makes one task", false)
                .string(
                    "parent_id",
                    "Make it a subtask of this task: cancelling the parent cancels it",
                    false),
            call -> {
              ObjectNode body = HubApi.JSON.createObjectNode();
              body.put("title", call.args().requiredString("title"));
              SeedTools.copy(
                  call.args(),
                  body,
                  "description",
                  "type",
                  "priority",
                  "required_capabilities",
                  "input",
                  "max_attempts",
                  "escalation",
                  "idempotency_key",
                  "parent_id");
              return call.hub().post("/api/tasks", body);
            }),
        HiveTool.of(
            "wait_for_task",
            "Wait until a task completes, fails or is cancelled (or the timeout passes), with"
                + " progress notifications as its status changes. Returns the task.",
            READ_ONLY,
            Schema.object()
                .string("task_id", "The task's id", true)
                .integer("timeout_seconds", "How long to wait (default 60)", 1, 600),
            waiter::await),
        taskAction("cancel_task", "Cancel a task that has not finished.", "cancel", DESTRUCTIVE),
        taskAction(
            "retry_task",
            "Run a failed or cancelled task again, as a new attempt.",
            "retry",
            CHANGES),
        taskRead(
            "explain_task",
            "Why the task went where it did: each assignment's candidates, scores and winner.",
            "/explain"),
        taskRead("task_history", "Every event of the task, in order, with timestamps.", "/history"),
        HiveTool.of(
            "hive_state_at",
            "Time travel: the whole hive (agents, tasks) as it was at an instant, rebuilt from"
                + " the journal. Needs an admin key.",
            READ_ONLY,
            Schema.object().string("at", "An ISO-8601 instant, e.g. 2026-12-01T12:00:00Z", true),
            call ->
                call.hub()
                    .get(
                        "/api/hive/state?at="
                            + URLEncoder.encode(
                                call.args().requiredString("at"), StandardCharsets.UTF_8))),
        HiveTool.of(
            "audit_events",
            "Journaled events, oldest first, filtered and bounded (default 100, at most 1000);"
                + " next_from_offset continues. Needs an admin key.",
            READ_ONLY,
            Schema.object()
                .string("entity_kind", "task, agent, board, coordinator, datasets or access", false)
                .string("entity_id", "Only this entity's events", false)
                .string("type", "Only events of this type, e.g. TaskCompleted", false)
                .string("from", "ISO-8601 instant: events at or after it", false)
                .string("to", "ISO-8601 instant: events before it", false)
                .string("from_offset", "Events after this journal offset", false)
                .integer("limit", "At most this many events (default 100)", 1, 1000),
            HiveTools::audit),
        agentAction("pause_agent", "Pause an agent: it takes no new task.", "pause"),
        agentAction("resume_agent", "Resume a paused agent.", "resume"));
  }

  private static HiveTool taskAction(
      String name, String description, String action, HiveTool.Kind kind) {
    return HiveTool.of(
        name,
        description + " Needs an operator key.",
        kind,
        Schema.object().string("task_id", "The task's id", true),
        call ->
            call.hub()
                .post(
                    "/api/tasks/" + call.args().id("task_id") + "/" + action,
                    HubApi.JSON.createObjectNode()));
  }

  private static HiveTool agentAction(String name, String description, String action) {
    return HiveTool.of(
        name,
        description + " Needs an operator key.",
        CHANGES,
        Schema.object().string("agent_id", "The agent's id", true),
        call ->
            call.hub()
                .post(
                    "/api/agents/" + call.args().id("agent_id") + "/" + action,
                    HubApi.JSON.createObjectNode()));
  }

  private static HiveTool taskRead(String name, String description, String suffix) {
    return HiveTool.of(
        name,
        description,
        READ_ONLY,
        Schema.object().string("task_id", "The task's id", true),
        call -> call.hub().get("/api/tasks/" + call.args().id("task_id") + suffix));
  }

  private static Object audit(HiveTool.Call call) {
    Args a = call.args();
    int limit = a.integer("limit", 100, 1, 1000);
    String query = Query.of(a, "entity_kind", "entity_id", "type", "from", "to", "from_offset");
    List<JsonNode> events = call.hub().lines("/api/audit/events" + query, limit);
    ObjectNode out = HubApi.JSON.createObjectNode();
    out.putArray("events").addAll(events);
    out.put("count", events.size());
    if (events.size() == limit) {
      out.put("next_from_offset", events.get(events.size() - 1).path("offset").asLong());
    } else {
      out.putNull("next_from_offset");
    }
    return out;
  }
}
