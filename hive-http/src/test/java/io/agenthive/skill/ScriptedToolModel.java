package io.agenthive.skill;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agenthive.skill.ProviderStandIn.Reply;
import java.util.ArrayList;
import java.util.List;

/**
 * A model for the provider stand-in that uses tools, as OpenAI's chat completions API asks for them
 * ({@code tool_calls}, streamed by {@link StreamedReplies}).
 */
public final class ScriptedToolModel {
  public static final ObjectMapper JSON = new ObjectMapper();

  private ScriptedToolModel() {}

  /**
   * The scripted model: asked first, it calls three tools at once (the hive's submit_task, an MCP
   * tool, and an MCP tool it may not call); given their answers, it answers with them. The {@code
   * looper} model asks for a tool every time.
   */
  public static Reply answer(String body) {
    try {
      JsonNode request = JSON.readTree(body);
      ArrayNode messages = (ArrayNode) request.path("messages");
      JsonNode last = messages.get(messages.size() - 1);
      if (request.path("model").asText().equals("looper")
          || last.path("role").asText().equals("user")) {
        return Reply.ok(
            toolCalls(
                call(
                    "c2",
                    "submit_task",
                    "{\"title\":\"child of the loop\",\"input\":\"x\",\"max_attempts\":1,"
                        + "\"required_capabilities\":[{\"name\":\"tl.nobody\"}],"
                        // a model may not hang its task elsewhere: the hub makes it its own
                        + "\"parent_id\":\"not-this-one\"}"),
                call("c1", "files__lookup", "{\"key\":\"alpha\"}"),
                call("c3", "files__wipe", "{\"key\":\"all\"}")));
      }
      List<String> told = new ArrayList<>();
      for (JsonNode m : messages) {
        if (m.path("role").asText().equals("tool")) {
          told.add(m.path("content").asText());
        }
      }
      return Reply.ok(text(String.join(" | ", told)));
    } catch (Exception e) {
      return Reply.status(500, "{\"error\":\"" + e + "\"}");
    }
  }

  public static ObjectNode call(String id, String name, String arguments) {
    ObjectNode c = JSON.createObjectNode().put("id", id).put("type", "function");
    c.putObject("function").put("name", name).put("arguments", arguments);
    return c;
  }

  public static String toolCalls(ObjectNode... calls) {
    ObjectNode answer = completion();
    ObjectNode message = (ObjectNode) answer.at("/choices/0/message");
    message.putNull("content");
    ArrayNode list = message.putArray("tool_calls");
    for (ObjectNode c : calls) {
      list.add(c);
    }
    return answer.toString();
  }

  public static String text(String content) {
    ObjectNode answer = completion();
    ((ObjectNode) answer.at("/choices/0/message")).put("content", content.replace("\"", "'"));
    return answer.toString();
  }

  static ObjectNode completion() {
    ObjectNode a =
        JSON.createObjectNode()
            .put("id", "c")
            .put("object", "chat.completion")
            .put("created", 1763800000)
            .put("model", "stand-in-1");
    a.putArray("choices").addObject().put("index", 0).putObject("message").put("role", "assistant");
    a.putObject("usage")
        .put("prompt_tokens", 20)
        .put("completion_tokens", 8)
        .put("total_tokens", 28);
    return a;
  }
}
