package io.agenthive.mcp;

import static io.agenthive.mcp.HiveTool.Kind.CHANGES;

import io.agenthive.skill.tools.ToolAnswer;
import io.agenthive.skill.tools.ToolCaller;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code await_subtasks}: the agent's attempt ends here and gives its slot back, and its task waits
 * blocked for the subtasks named (its own: each is read through the API as the agent, and must name
 * the task as its parent). Once they have all ended the task is queued again, and its next attempt
 * is told what each left. When every one named has ended already, nothing ends: the model is told
 * what each left. So each wait needs a subtask still running, and a task waits at most as often as
 * it may have subtasks ({@code hive.delegation.max-children}). Only agents' tool loops have it: an
 * MCP client's session has no attempt to end.
 */
final class AwaitSubtasksTool {
  static final String NAME = "await_subtasks";
  // as many as one parent may have at the widest fan-out anyone would configure
  static final int MAX_AWAITED = 100;
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,200}");
  private static final java.util.Set<String> ENDED =
      java.util.Set.of("completed", "failed", "cancelled", "expired", "rejected");

  private AwaitSubtasksTool() {}

  /** Its definition, as the model sees it; calls never reach the handler ({@link #call}). */
  static HiveTool definition() {
    return HiveTool.of(
        NAME,
        "Ends this attempt and frees its agent until the given subtasks of this task have all"
            + " ended (completed, failed or cancelled); the task then runs again, told what each"
            + " left. Call it after submit_task instead of waiting with wait_for_task.",
        CHANGES,
        Schema.object()
            .array(
                "task_ids",
                "Ids of this task's own subtasks (1 to " + MAX_AWAITED + ")",
                Map.of("type", "string"),
                true),
        call -> {
          throw new IllegalStateException("await_subtasks is answered by the agents' toolbox");
        });
  }

  static ToolAnswer call(Map<String, Object> arguments, ToolCaller caller, HubApi.Caller api) {
    for (String name : arguments.keySet()) {
      if (!name.equals("task_ids")) {
        return ToolAnswer.error("Unknown parameter: " + name + "; await_subtasks takes task_ids");
      }
    }
    if (!(arguments.get("task_ids") instanceof List<?> given)
        || given.isEmpty()
        || given.size() > MAX_AWAITED) {
      return ToolAnswer.error("task_ids must be a list of 1 to " + MAX_AWAITED + " task ids");
    }
    List<String> awaited = new ArrayList<>();
    var ended = HubApi.JSON.createObjectNode();
    for (Object o : given) {
      if (!(o instanceof String id) || !ID.matcher(id).matches()) {
        return ToolAnswer.error("task_ids: " + o + " is not a task id");
      }
      if (awaited.contains(id)) {
        continue;
      }
      HubApi.Reply task = api.raw("GET", "/api/tasks/" + id, null);
      if (task.status() == 404) {
        return ToolAnswer.error("task_ids: there is no task " + id);
      }
      if (!task.ok()) {
        return ToolAnswer.error(
            "task_ids: task " + id + " could not be read (HTTP " + task.status() + ")");
      }
      if (!caller.taskId().equals(task.json().path("parent_id").asText(null))) {
        return ToolAnswer.error(
            "task_ids: task "
                + id
                + " is not a subtask of this task ("
                + caller.taskId()
                + "); only its own subtasks can be awaited");
      }
      awaited.add(id);
      String status = task.json().path("status").asText();
      if (ENDED.contains(status)) {
        ended.putObject(id).put("status", status).set("output", task.json().at("/result/output"));
      }
    }
    if (ended.size() == awaited.size()) {
      // nothing to wait for: the answer is what they left, and the loop goes on (an attempt that
      // could end awaiting subtasks that had all ended would be run again at once, and again)
      var answer = HubApi.JSON.createObjectNode();
      answer.put("note", "every one of them has ended already; here is what each left");
      answer.set("ended", ended);
      return ToolAnswer.ok(answer.toString());
    }
    var answer = HubApi.JSON.createObjectNode();
    awaited.forEach(answer.putArray("awaiting")::add);
    return ToolAnswer.awaiting(answer.toString(), awaited);
  }
}
