package io.agenthive.mcp;

import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;

/**
 * How a server answers a tool call whose arguments are wrong, chosen per endpoint when the server
 * is built ({@link McpServers}).
 *
 * <p>{@code /mcp} and stdio follow the current MCP spec: a {@link ToolFailure} is an {@code
 * isError} result, so the model reads what was wrong and tries again. {@code /api/mcp} serves
 * clients written for the seed hub, which answered bad arguments with a JSON-RPC error -32602 whose
 * message starts with its phrase ("Invalid agent type", "Missing required parameter: count"); their
 * tests and error handling match on that. The switch sits where the tool's outcome becomes an MCP
 * answer, not in the transport: by then the transport only sees an opaque {@code isError} text,
 * while here the failure still knows it was the arguments' fault and the seed's phrase for it. The
 * SDK's stateless server turns a thrown {@link McpError} into the JSON-RPC error with that code, so
 * {@link PlainJsonRpc} needs no rewriting of answers. Failures that are not the arguments' (the hub
 * refused, a task in the wrong state) stay {@code isError} results on both endpoints, as they were
 * in the seed.
 */
enum ArgumentErrors {
  /** An {@code isError} tool result, as the current MCP spec asks. */
  TOOL_RESULT,
  /** A JSON-RPC invalid-params error with the seed's phrase, as the seed hub answered. */
  JSON_RPC_ERROR;

  /** The failure as an answer: an isError result to return, or an McpError thrown. */
  McpSchema.CallToolResult answer(ToolFailure failure) {
    if (this == JSON_RPC_ERROR && failure.isArgument()) {
      throw McpError.builder(McpSchema.ErrorCodes.INVALID_PARAMS)
          .message(failure.seedMessage())
          .data(failure.getMessage())
          .build();
    }
    return McpSchema.CallToolResult.builder()
        .addTextContent(failure.getMessage())
        .isError(true)
        .build();
  }
}
