package io.agenthive.skill.tools;

import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.Map;

/**
 * The hive's own tools as an agent's model may call them ({@code submit_task}, {@code
 * wait_for_task}, {@code get_task}, {@code search_tasks}). The HTTP module serves them: each call
 * goes through the hub's API as the agent ({@code agent:<id>} with its tools' role), so an agent
 * may do exactly what that role may through the API. Calls block: they run on the llm skill's own
 * dispatcher.
 */
public interface HiveToolbox {
  /** Each tool's definition, as an MCP server would list it. */
  List<McpSchema.Tool> tools();

  ToolAnswer call(String name, Map<String, Object> arguments, ToolCaller caller);

  /** Where no API is served (a node without HTTP, a unit test): no hive tools. */
  HiveToolbox NONE =
      new HiveToolbox() {
        @Override
        public List<McpSchema.Tool> tools() {
          return List.of();
        }

        @Override
        public ToolAnswer call(String name, Map<String, Object> arguments, ToolCaller caller) {
          return ToolAnswer.error("the hive's own tools are not served on this node");
        }
      };
}
