package io.agenthive.a2a;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** JSON-RPC 2.0 envelopes: a request read and checked, a result, an error. */
final class JsonRpc {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory N = JsonNodeFactory.instance;
  private static final int MAX_METHOD = 100;

  private JsonRpc() {}

  /** One request: {@code id} is null for a notification, which A2A does not use. */
  record Request(JsonNode id, String method, JsonNode params) {}

  /** The request in {@code body}, or an error (its id, when it had one, is kept for the answer). */
  static Request parse(String body) {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (Exception e) {
      throw new A2aError(A2aError.PARSE_ERROR, "not JSON: " + firstLine(e.getMessage()));
    }
    if (root == null || !root.isObject()) {
      throw new A2aError(A2aError.INVALID_REQUEST, "a JSON-RPC request is one JSON object");
    }
    JsonNode id = root.path("id");
    if (!"2.0".equals(root.path("jsonrpc").asText())) {
      throw new Failed(id, A2aError.invalidRequest("jsonrpc: must be \"2.0\""));
    }
    if (!id.isTextual() && !id.isIntegralNumber()) {
      throw new Failed(
          NullNode.getInstance(), A2aError.invalidRequest("id: must be a string or a number"));
    }
    JsonNode method = root.path("method");
    if (!method.isTextual()
        || method.textValue().isEmpty()
        || method.textValue().length() > MAX_METHOD) {
      throw new Failed(id, A2aError.invalidRequest("method: must be a method name"));
    }
    JsonNode params = root.path("params");
    if (!params.isMissingNode() && !params.isNull() && !params.isObject()) {
      throw new Failed(id, A2aError.invalid("params", "must be an object"));
    }
    return new Request(id, method.textValue(), params.isObject() ? params : N.objectNode());
  }

  /** An error found after the id was read: answered with that id. */
  static final class Failed extends RuntimeException {
    final JsonNode id;
    final A2aError error;

    Failed(JsonNode id, A2aError error) {
      super(error.getMessage(), null, false, false);
      this.id = id;
      this.error = error;
    }
  }

  static ObjectNode result(JsonNode id, JsonNode result) {
    ObjectNode out = N.objectNode().put("jsonrpc", "2.0");
    out.set("id", id);
    out.set("result", result == null ? NullNode.getInstance() : result);
    return out;
  }

  /** An error; 1.0 details are ProtoJSON {@code Any}s (a BadRequest naming the field). */
  static ObjectNode error(JsonNode id, A2aError e, A2aVersion v) {
    ObjectNode out = N.objectNode().put("jsonrpc", "2.0");
    out.set("id", id == null || id.isMissingNode() ? NullNode.getInstance() : id);
    ObjectNode error = out.putObject("error").put("code", e.code).put("message", e.getMessage());
    if (e.field != null) {
      if (v == A2aVersion.V1_0) {
        error
            .putArray("data")
            .addObject()
            .put("@type", "type.googleapis.com/google.rpc.BadRequest")
            .putArray("fieldViolations")
            .addObject()
            .put("field", e.field)
            .put("description", e.getMessage());
      } else {
        error.putObject("data").put("field", e.field);
      }
    }
    return out;
  }

  private static String firstLine(String text) {
    String t = text == null ? "" : text;
    int nl = t.indexOf('\n');
    t = nl < 0 ? t : t.substring(0, nl);
    return t.length() > 200 ? t.substring(0, 200) : t;
  }
}
