package io.agenthive.mcp;

import static io.agenthive.mcp.HiveTool.Kind.CHANGES;
import static io.agenthive.mcp.HiveTool.Kind.READ_ONLY;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Schedules as MCP tools: list, create, trigger. Each calls {@code /api/schedules} as its caller,
 * so the role table decides (viewer lists, operator creates and triggers).
 */
final class ScheduleTools {
  private ScheduleTools() {}

  static List<HiveTool> all() {
    return List.of(
        HiveTool.of(
            "list_schedules",
            "Every schedule with its next five fire times.",
            READ_ONLY,
            Schema.object(),
            call -> call.hub().get("/api/schedules")),
        HiveTool.of(
            "create_schedule",
            "Create a schedule: a task submitted on a cron expression (5-field Unix or 6-7 field"
                + " Quartz, in timezone) or every interval (2s, 5m, 1h), each slot exactly once."
                + " Needs an operator key.",
            CHANGES,
            Schema.object()
                .string("name", "lower-case letters, digits, '.', '_' or '-'", true)
                .string("cron", "a cron expression (give cron or every)", false)
                .string("every", "an interval of at least 1s, e.g. 5m (give cron or every)", false)
                .string("timezone", "an IANA zone for cron (default UTC)", false)
                .objectProperty("task", "the task each slot submits, as for submit_task", true)
                .choice("overlap", "default skip", List.of("skip", "queue", "allow"), false)
                .choice("catch_up", "default none", List.of("none", "one", "all"), false)
                .string("catch_up_window", "how far back catch_up all reaches (default 1h)", false)
                .any("paused", "true to create it paused", false),
            call -> {
              ObjectNode body = HubApi.JSON.createObjectNode();
              body.put("name", call.args().requiredString("name"));
              SeedTools.copy(
                  call.args(),
                  body,
                  "cron",
                  "every",
                  "timezone",
                  "task",
                  "overlap",
                  "catch_up",
                  "catch_up_window",
                  "paused");
              return call.hub().post("/api/schedules", body);
            }),
        HiveTool.of(
            "trigger_schedule",
            "Fire a schedule's task now, as a manual slot. Needs an operator key.",
            CHANGES,
            Schema.object().string("name", "The schedule's name", true),
            call ->
                call.hub()
                    .post(
                        "/api/schedules/" + call.args().id("name") + "/trigger",
                        HubApi.JSON.createObjectNode())));
  }
}
