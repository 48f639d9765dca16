package io.agenthive.mcp;

import akka.http.javadsl.model.HttpRequest;
import io.agenthive.caller.Caller;
import io.modelcontextprotocol.common.McpTransportContext;
import java.util.HashMap;
import java.util.Map;

/**
 * Whose call a tool makes. Over HTTP each MCP request carries its caller's credential (the bearer
 * key or token the guard accepted), kept in the SDK's transport context, so every tool calls the
 * API as that caller, request by request. Over stdio the one key from the environment is used.
 */
final class McpCallers {
  private static final String CREDENTIAL = "credential";

  private McpCallers() {}

  static McpTransportContext context(HttpRequest request) {
    Map<String, Object> values = new HashMap<>();
    Caller.bearer(request).ifPresent(v -> values.put(CREDENTIAL, v));
    return McpTransportContext.create(values);
  }

  static String credential(McpTransportContext context) {
    Object value = context == null ? null : context.get(CREDENTIAL);
    return value instanceof String s ? s : null;
  }
}
