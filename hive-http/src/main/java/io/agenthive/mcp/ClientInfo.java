package io.agenthive.mcp;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpSchema;

/**
 * An MCP client's {@code clientInfo} ({@code initialize}), checked before the SDK sees it: it is
 * kept with the session and written to the log, so its name and version are bounded by {@code
 * hive.limits.max-name} and may not hold control characters (a newline would forge a log line).
 */
final class ClientInfo {
  private ClientInfo() {}

  /** What is wrong with the request's {@code clientInfo}, or null when nothing is. */
  static String problem(McpJsonMapper mapper, Object params, int maxName) {
    McpSchema.InitializeRequest init;
    try {
      init = mapper.convertValue(params, new TypeRef<McpSchema.InitializeRequest>() {});
    } catch (RuntimeException e) {
      return "initialize params are malformed: " + McpServers.reason(e);
    }
    McpSchema.Implementation info = init == null ? null : init.clientInfo();
    if (info == null) {
      return null;
    }
    String name = field("clientInfo.name", info.name(), maxName);
    return name != null ? name : field("clientInfo.version", info.version(), maxName);
  }

  private static String field(String what, String value, int max) {
    if (value == null) {
      return null;
    }
    if (value.length() > max) {
      return what + " must be at most " + max + " characters (hive.limits.max-name)";
    }
    if (value.chars().anyMatch(Character::isISOControl)) {
      return what + " must not contain control characters";
    }
    return null;
  }
}
