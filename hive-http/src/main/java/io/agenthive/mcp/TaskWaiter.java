package io.agenthive.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;

/**
 * {@code wait_for_task}: reads the task until it is finished or the timeout passes, and reports
 * each change of status as progress (waiting or pending 0, assigned 1, running 2, finished 3 of 3).
 * It reads the task by id, which the hub answers from the task itself, so no change is missed
 * between polls except one that is overtaken by the next. While the task runs and the client asked
 * for progress, it follows the task's live output instead ({@code /api/tasks/{id}/stream}): each
 * piece of text the agent produces is a progress notification whose message is that piece (the
 * progress rises from 2 towards 3 with the text's length), until the task ends.
 */
final class TaskWaiter {
  // every status that is not an end: what waits for its time, a person or a signal counts as 0
  private static final Map<String, Integer> STEP =
      Map.of(
          "blocked", 0,
          "scheduled", 0,
          "waiting_for_approval", 0,
          "waiting", 0,
          "pending", 0,
          "assigned", 1,
          "running", 2);

  /** Statuses whose live output is followed: the running attempt's, or the next one's. */
  private static final java.util.Set<String> FOLLOWED =
      java.util.Set.of("pending", "assigned", "running");

  private final Duration interval;

  TaskWaiter(Duration interval) {
    this.interval = interval;
  }

  Object await(HiveTool.Call call) {
    String id = call.args().id("task_id");
    int timeoutSeconds = call.args().integer("timeout_seconds", 60, 1, 600);
    long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
    LiveProgress live = new LiveProgress(call.progress());
    try {
      return poll(call, id, timeoutSeconds, deadline, live);
    } finally {
      live.close(); // a stream's late pieces are not sent after the answer
    }
  }

  private Object poll(
      HiveTool.Call call, String id, int timeoutSeconds, long deadline, LiveProgress live) {
    String last = null;
    while (true) {
      JsonNode task = call.hub().get("/api/tasks/" + id);
      String status = task.path("status").asText();
      boolean finished = !STEP.containsKey(status);
      if (!status.equals(last)) {
        last = status;
        call.progress().report(finished ? 3 : STEP.get(status), 3, describe(id, task));
      }
      if (finished) {
        return task;
      }
      if (call.progress() != HiveTool.Progress.NONE && FOLLOWED.contains(status)) {
        long left = deadline - System.nanoTime();
        if (left > 0) {
          call.hub().follow("/api/tasks/" + id + "/stream", live::take, Duration.ofNanos(left));
          live.flush();
        }
        if (live.ended) {
          continue; // it ended: read it once more, and answer
        }
      }
      if (System.nanoTime() > deadline) {
        throw new ToolFailure(
            "task "
                + id
                + " is still "
                + status
                + " after "
                + timeoutSeconds
                + " s; call wait_for_task again to keep waiting");
      }
      pause();
    }
  }

  private void pause() {
    try {
      Thread.sleep(interval.toMillis()); // allowed: a tool call's own thread, never an actor's
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ToolFailure("interrupted while waiting");
    }
  }

  private static String describe(String id, JsonNode task) {
    String status = task.path("status").asText();
    String agent = task.path("assigned_agent").asText("");
    return "task "
        + id
        + " is "
        + status
        + (agent.isEmpty() ? "" : " on agent " + agent)
        + " (attempt "
        + task.path("attempts").asInt()
        + ")";
  }
}
