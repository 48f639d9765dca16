package io.agenthive.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.agenthive.skill.ProviderStandIn.Reply;
import io.agenthive.skill.ScriptedToolModel;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The model of an agent that hands its work to a subtask and gives its slot back while it waits
 * (the hive's await_subtasks). Its task's input is {@code depth <n>}: below depth 3 it submits
 * {@code depth <n+1>} for itself, then awaits it; told its subtask ended, it answers {@code depth
 * <n> done after <the subtask's answer>}. An input {@code stuck} hands its work to a subtask no
 * agent can run; {@code foreign <id>} asks to await a task that is not its subtask, and answers
 * with what the tool said; {@code ended} submits a subtask another agent runs at once, waits for it
 * (wait_for_task), then awaits it, and answers with what the tool said.
 */
final class AwaitingModel {
  static final String MODEL = "solo";
  private static final Pattern DEPTH = Pattern.compile("^depth (\\d)");
  private static final Pattern ANSWER = Pattern.compile("\"answer\":\"([^\"]*)\"");

  private AwaitingModel() {}

  static Reply answer(JsonNode request) {
    ArrayNode messages = (ArrayNode) request.path("messages");
    JsonNode last = messages.get(messages.size() - 1);
    if (last.path("role").asText().equals("tool")) {
      JsonNode told = read(last.path("content").asText());
      if (told == null || !told.hasNonNull("id")) {
        return Reply.ok(ScriptedToolModel.text("the tool said: " + last.path("content").asText()));
      }
      if (messages.get(messages.size() - 3).path("content").asText().startsWith("ended")) {
        // the task it just submitted: waited for first, so it has ended when it is awaited
        return Reply.ok(
            ScriptedToolModel.toolCalls(
                ScriptedToolModel.call(
                    "w1",
                    "wait_for_task",
                    "{\"task_id\":\"" + told.get("id").asText() + "\",\"timeout_seconds\":30}")));
      }
      return Reply.ok(
          ScriptedToolModel.toolCalls(
              ScriptedToolModel.call(
                  "a1", "await_subtasks", "{\"task_ids\":[\"" + told.get("id").asText() + "\"]}")));
    }
    String prompt = last.path("content").asText();
    if (prompt.contains("have ended:")) {
      Matcher m = ANSWER.matcher(prompt);
      String heard = m.find() ? m.group(1) : "nothing";
      return Reply.ok(ScriptedToolModel.text(own(prompt) + " done after " + heard));
    }
    if (prompt.startsWith("ended")) {
      return Reply.ok(
          ScriptedToolModel.toolCalls(
              ScriptedToolModel.call(
                  "s1",
                  "submit_task",
                  "{\"title\":\"quick\",\"input\":\"x\",\"max_attempts\":1,"
                      + "\"required_capabilities\":[{\"name\":\"st.level3\"}]}")));
    }
    if (prompt.startsWith("foreign ")) {
      String id = prompt.substring("foreign ".length()).trim();
      return Reply.ok(
          ScriptedToolModel.toolCalls(
              ScriptedToolModel.call("a1", "await_subtasks", "{\"task_ids\":[\"" + id + "\"]}")));
    }
    Matcher depth = DEPTH.matcher(prompt);
    if (depth.find() && depth.group(1).equals("3")) {
      return Reply.ok(ScriptedToolModel.text("depth 3 done"));
    }
    String next =
        prompt.startsWith("stuck")
            ? "{\"title\":\"never runs\",\"input\":\"x\",\"max_attempts\":1,"
                + "\"required_capabilities\":[{\"name\":\"st.nobody\"}]}"
            : "{\"title\":\"depth "
                + (Integer.parseInt(depth.group(1)) + 1)
                + "\",\"input\":\"depth "
                + (Integer.parseInt(depth.group(1)) + 1)
                + "\",\"max_attempts\":1,\"required_capabilities\":[{\"name\":\"st.solo\"}]}";
    return Reply.ok(ScriptedToolModel.toolCalls(ScriptedToolModel.call("s1", "submit_task", next)));
  }

  private static String own(String prompt) {
    Matcher m = DEPTH.matcher(prompt);
    return m.find() ? "depth " + m.group(1) : "stuck";
  }

  private static JsonNode read(String text) {
    try {
      return ScriptedToolModel.JSON.readTree(text);
    } catch (Exception e) {
      return null;
    }
  }
}
