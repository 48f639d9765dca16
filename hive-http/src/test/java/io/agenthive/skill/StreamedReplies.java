package io.agenthive.skill;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A whole answer of the stand-in (an OpenAI chat completion, an Ollama /api/chat answer) as the
 * provider streams it when asked to ({@code "stream": true}): OpenAI-compatible SSE chunks {@code
 * data: {choices:[{delta:{content}}]}} ending {@code data: [DONE]}, or Ollama NDJSON lines {@code
 * {message:{content}, done}}. The text is cut at spaces, one piece per chunk, so a test sees
 * several partials.
 */
final class StreamedReplies {
  private static final ObjectMapper JSON = new ObjectMapper();

  private StreamedReplies() {}

  static boolean asksForStream(String requestBody) {
    try {
      return JSON.readTree(requestBody).path("stream").asBoolean(false);
    } catch (Exception e) {
      return false;
    }
  }

  /** The model a request asks for, or null. */
  static String model(String requestBody) {
    try {
      return JSON.readTree(requestBody).path("model").asText(null);
    } catch (Exception e) {
      return null;
    }
  }

  /** The chunks to send, or null when the answer is not one that streams (an error, say). */
  static List<String> chunks(String path, String answer) {
    JsonNode whole;
    try {
      whole = JSON.readTree(answer);
    } catch (Exception e) {
      return null;
    }
    return path.endsWith("/api/chat") ? ollama(whole) : openAi(whole);
  }

  static List<String> pieces(String text) {
    List<String> out = new ArrayList<>();
    for (String p : text.split("(?<= )")) {
      if (!p.isEmpty()) {
        out.add(p);
      }
    }
    return out;
  }

  private static List<String> openAi(JsonNode whole) {
    JsonNode content = whole.at("/choices/0/message/content");
    JsonNode calls = whole.at("/choices/0/message/tool_calls");
    if (!content.isTextual() && !calls.isArray()) {
      return null;
    }
    String model = whole.path("model").asText("stand-in");
    List<String> out = new ArrayList<>();
    // tool calls go one per chunk, each whole (a provider may split arguments; ours need not)
    int index = 0;
    for (JsonNode call : calls.isArray() ? calls : JSON.createArrayNode()) {
      ObjectNode chunk = base(model);
      ObjectNode delta = chunk.putArray("choices").addObject().put("index", 0).putObject("delta");
      ObjectNode c = ((ObjectNode) call.deepCopy()).put("index", index++);
      delta.putArray("tool_calls").add(c);
      out.add("data: " + chunk + "\n\n");
    }
    for (String piece : content.isTextual() ? pieces(content.asText()) : List.<String>of()) {
      ObjectNode chunk = base(model);
      chunk
          .putArray("choices")
          .addObject()
          .put("index", 0)
          .putObject("delta")
          .put("content", piece);
      out.add("data: " + chunk + "\n\n");
    }
    ObjectNode last = base(model);
    last.putArray("choices")
        .addObject()
        .put("index", 0)
        .put("finish_reason", calls.isArray() ? "tool_calls" : "stop")
        .putObject("delta");
    out.add("data: " + last + "\n\n");
    if (whole.has("usage")) {
      ObjectNode usage = base(model);
      usage.putArray("choices");
      usage.set("usage", whole.get("usage"));
      out.add("data: " + usage + "\n\n");
    }
    out.add("data: [DONE]\n\n");
    return out;
  }

  private static ObjectNode base(String model) {
    return JSON.createObjectNode()
        .put("id", "chatcmpl-1")
        .put("object", "chat.completion.chunk")
        .put("created", 1763800000)
        .put("model", model);
  }

  private static List<String> ollama(JsonNode whole) {
    JsonNode content = whole.at("/message/content");
    if (!content.isTextual()) {
      return null;
    }
    String model = whole.path("model").asText("stand-in");
    List<String> out = new ArrayList<>();
    for (String piece : pieces(content.asText())) {
      ObjectNode line = JSON.createObjectNode().put("model", model).put("done", false);
      line.putObject("message").put("role", "assistant").put("content", piece);
      out.add(line + "\n");
    }
    ObjectNode done = ((ObjectNode) whole.deepCopy());
    done.putObject("message").put("role", "assistant").put("content", "");
    done.put("done", true);
    out.add(done + "\n");
    return out;
  }
}
