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

  /** A notification carries at most this much of the text (the rest is in the output). */
  private static final int MAX_PIECE_CHARS = 4096;

  private final Duration interval;

  TaskWaiter(Duration interval) {
    this.interval = interval;
  }

  Object await(HiveTool.Call call) {
    String id = call.args().id("task_id");
    int timeoutSeconds = call.args().integer("timeout_seconds", 60, 1, 600);
    long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
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
      if (call.progress() != HiveTool.Progress.NONE && STEP.get(status) >= 1) {
        long left = deadline - System.nanoTime();
        boolean[] ended = {false};
        if (left > 0) {
          call.hub()
              .follow("/api/tasks/" + id + "/stream", live(call, ended), Duration.ofNanos(left));
        }
        if (ended[0]) {
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

  /** Each piece of live text as a progress notification; the amount rises with the text. */
  private static java.util.function.BiConsumer<String, JsonNode> live(
      HiveTool.Call call, boolean[] ended) {
    long[] chars = {0};
    return (name, data) -> {
      if (name.equals("end")) {
        ended[0] = true;
      }
      if (!name.equals("so_far") && !name.equals("partial")) {
        return;
      }
      String text = data.path("text").asText("");
      if (text.isEmpty()) {
        return;
      }
      chars[0] += text.length();
      String piece =
          text.length() > MAX_PIECE_CHARS ? text.substring(text.length() - MAX_PIECE_CHARS) : text;
      call.progress().report(2 + chars[0] / (chars[0] + 1000.0), 3, piece);
    };
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
