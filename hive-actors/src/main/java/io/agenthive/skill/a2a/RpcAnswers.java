package io.agenthive.skill.a2a;

import com.fasterxml.jackson.databind.JsonNode;
import io.agenthive.skill.guard.ProviderFailure;

/**
 * A JSON-RPC answer's {@code result}, or its {@code error} as a failure: an internal error (-32603)
 * may pass and is retried by the task's policy; the others (unknown method, bad params, task not
 * found, not cancelable, version not supported...) will not, and fail the attempt for good.
 */
final class RpcAnswers {
  static final int INTERNAL_ERROR = -32603;

  private RpcAnswers() {}

  static JsonNode result(JsonNode answer, String method) {
    JsonNode error = answer.path("error");
    if (error.isObject()) {
      int code = error.path("code").asInt(0);
      String message =
          "the A2A agent answered "
              + method
              + " with error "
              + code
              + ": "
              + ProviderFailure.abbreviate(error.path("message").asText(""));
      throw new ProviderFailure(message, 0, code == INTERNAL_ERROR, null);
    }
    if (!answer.has("result")) {
      throw new ProviderFailure(
          "the A2A agent's answer to " + method + " has neither result nor error", 0, false, null);
    }
    return answer.get("result");
  }
}
