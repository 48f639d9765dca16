package io.agenthive.skill.llm;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonRawSchema;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a loop's model is offered: the hive's tools by their own names, each MCP server's allowed
 * tools as {@code <server>__<tool>} (so two servers' tools never clash), each with its MCP input
 * schema handed to the model as it is.
 */
final class ToolMenu {
  static final String SEPARATOR = "__";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Where an offered tool lives: {@code source} null for the hive's own. */
  record Entry(String offeredAs, McpToolSource source, String tool) {
    String where() {
      return source == null ? "hive" : "mcp:" + source.name();
    }
  }

  private final Map<String, Entry> entries = new LinkedHashMap<>();
  private final List<ToolSpecification> specifications = new ArrayList<>();

  ToolMenu(List<McpSchema.Tool> hiveTools, List<String> hiveAllowed, List<McpToolSource> servers) {
    for (McpSchema.Tool t : hiveTools) {
      if (hiveAllowed.contains(t.name())) {
        add(new Entry(t.name(), null, t.name()), t);
      }
    }
    for (McpToolSource s : servers) {
      for (McpSchema.Tool t : s.tools()) {
        add(new Entry(s.name() + SEPARATOR + t.name(), s, t.name()), t);
      }
    }
  }

  private void add(Entry entry, McpSchema.Tool tool) {
    entries.put(entry.offeredAs(), entry);
    specifications.add(
        ToolSpecification.builder()
            .name(entry.offeredAs())
            .description(tool.description() == null ? tool.name() : tool.description())
            .parameters(parameters(tool.inputSchema()))
            .build());
  }

  @SuppressWarnings("unchecked")
  private static JsonObjectSchema parameters(Map<String, Object> schema) {
    JsonObjectSchema.Builder b = JsonObjectSchema.builder();
    if (schema == null) {
      return b.build();
    }
    Object properties = schema.get("properties");
    if (properties instanceof Map<?, ?> props) {
      props.forEach(
          (name, value) -> {
            try {
              b.addProperty(
                  String.valueOf(name), JsonRawSchema.from(JSON.writeValueAsString(value)));
            } catch (Exception e) {
              // a property we cannot write back is left out: the model cannot fill it in anyway
            }
          });
    }
    if (schema.get("required") instanceof List<?> required) {
      b.required(required.stream().map(String::valueOf).toList());
    }
    return b.build();
  }

  List<ToolSpecification> specifications() {
    return specifications;
  }

  Entry find(String offeredAs) {
    return entries.get(offeredAs);
  }

  /**
   * Why a name the model asked for is not on its menu: a server's tool the agent may not call, or a
   * name nothing offers.
   */
  String refusal(String asked, List<McpToolSource> servers) {
    int cut = asked.indexOf(SEPARATOR);
    if (cut > 0) {
      String server = asked.substring(0, cut);
      for (McpToolSource s : servers) {
        if (s.name().equals(server)) {
          return "refused: "
              + asked.substring(cut + SEPARATOR.length())
              + " is not on this agent's allowlist for the MCP server "
              + server;
        }
      }
    }
    return "refused: no tool named " + asked + " is offered to this agent";
  }
}
