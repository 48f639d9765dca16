package io.agenthive.mcp;

import io.modelcontextprotocol.spec.McpSchema;

/**
 * One MCP tool: its definition (name, description, input schema, annotations) and what it does. The
 * handler returns any JSON-able value; the adapter in {@link McpServers} turns it into a text
 * result (and structured content), and a {@link ToolFailure} into an {@code isError} result.
 */
record HiveTool(McpSchema.Tool definition, java.util.Set<String> arguments, Handler handler) {

  /** What a call has to work with. */
  record Call(Args args, HubApi.Caller hub, Progress progress) {}

  @FunctionalInterface
  interface Handler {
    Object handle(Call call);
  }

  /** Progress notifications to the client, when it asked for them (else a no-op). */
  @FunctionalInterface
  interface Progress {
    Progress NONE = (done, total, message) -> {};

    void report(double done, double total, String message);
  }

  enum Kind {
    READ_ONLY,
    CHANGES,
    DESTRUCTIVE
  }

  static HiveTool of(String name, String description, Kind kind, Schema schema, Handler handler) {
    var annotations =
        McpSchema.ToolAnnotations.builder()
            .readOnlyHint(kind == Kind.READ_ONLY)
            .destructiveHint(kind == Kind.DESTRUCTIVE)
            .idempotentHint(kind == Kind.READ_ONLY)
            .openWorldHint(false)
            .build();
    var tool =
        McpSchema.Tool.builder(name, schema.build())
            .description(description)
            .annotations(annotations)
            .build();
    return new HiveTool(tool, java.util.Set.copyOf(schema.names()), handler);
  }
}
