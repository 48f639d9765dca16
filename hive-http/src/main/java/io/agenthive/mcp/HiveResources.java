package io.agenthive.mcp;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The hive as MCP resources: {@code hive://status}, and the templates {@code hive://agents/{id}}
 * and {@code hive://tasks/{id}}, each read through the API as the caller and answered as JSON.
 */
final class HiveResources {
  static final String STATUS = "hive://status";
  static final String JSON = "application/json";
  private static final Pattern ENTITY =
      Pattern.compile("hive://(agents|tasks)/([A-Za-z0-9._:-]{1,200})");

  private HiveResources() {}

  /** The API path that answers a resource URI; null for a URI that is not ours. */
  static String apiPath(String uri) {
    if (STATUS.equals(uri)) {
      return "/api/hive/status";
    }
    Matcher m = ENTITY.matcher(uri);
    return m.matches() ? "/api/" + m.group(1) + "/" + m.group(2) : null;
  }

  static McpSchema.Resource status() {
    return McpSchema.Resource.builder(STATUS, "status")
        .title("Hive status")
        .description("Agents by state, tasks by status, queue depth, success rate, throughput")
        .mimeType(JSON)
        .build();
  }

  static List<McpSchema.ResourceTemplate> templates() {
    return List.of(
        McpSchema.ResourceTemplate.builder("hive://agents/{id}", "agent")
            .title("An agent")
            .description("One agent: capabilities, proficiencies, state, stats")
            .mimeType(JSON)
            .build(),
        McpSchema.ResourceTemplate.builder("hive://tasks/{id}", "task")
            .title("A task")
            .description("One task: status, attempts, assignment, result; subscribe for changes")
            .mimeType(JSON)
            .build());
  }

  /** Reads a resource as the caller; an unknown URI or id is a resource-not-found error. */
  static McpSchema.ReadResourceResult read(
      McpSchema.ReadResourceRequest request,
      McpTransportContext context,
      Function<McpTransportContext, HubApi.Caller> callers) {
    String uri = request.uri();
    String path = apiPath(uri);
    if (path == null) {
      throw notFound(
          "no resource "
              + uri
              + "; there are "
              + STATUS
              + ", hive://agents/{id}"
              + " and hive://tasks/{id}");
    }
    HubApi.Reply reply = callers.apply(context).raw("GET", path, null);
    if (reply.status() == 404) {
      throw notFound("no resource " + uri + ": " + ToolFailure.fromApi(reply).getMessage());
    }
    if (reply.status() != 200) {
      throw McpError.builder(McpSchema.ErrorCodes.INTERNAL_ERROR)
          .message(ToolFailure.fromApi(reply).getMessage())
          .build();
    }
    return McpSchema.ReadResourceResult.builder(
            List.of(
                McpSchema.TextResourceContents.builder(uri, reply.json().toPrettyString())
                    .mimeType(JSON)
                    .build()))
        .build();
  }

  private static McpError notFound(String message) {
    return McpError.builder(McpSchema.ErrorCodes.RESOURCE_NOT_FOUND).message(message).build();
  }
}
