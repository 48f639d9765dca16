package io.agenthive.a2a;

/**
 * A JSON-RPC error to answer: the A2A code, a message naming the field or the task, and the HTTP
 * status to answer it with (200 for every protocol error; 401, 403, 429 and 503 stay what the REST
 * API answers, so a caller's key problems look the same on both).
 */
final class A2aError extends RuntimeException {
  static final int PARSE_ERROR = -32700;
  static final int INVALID_REQUEST = -32600;
  static final int METHOD_NOT_FOUND = -32601;
  static final int INVALID_PARAMS = -32602;
  static final int INTERNAL = -32603;
  static final int SERVER_ERROR = -32000;
  static final int TASK_NOT_FOUND = -32001;
  static final int TASK_NOT_CANCELABLE = -32002;
  static final int PUSH_NOT_SUPPORTED = -32003;
  static final int UNSUPPORTED_OPERATION = -32004;
  static final int CONTENT_TYPE_NOT_SUPPORTED = -32005;
  static final int EXTENDED_CARD_NOT_CONFIGURED = -32007;
  static final int VERSION_NOT_SUPPORTED = -32009;

  final int code;
  final String field;
  final int httpStatus;

  A2aError(int code, String message, String field, int httpStatus) {
    super(message, null, false, false);
    this.code = code;
    this.field = field;
    this.httpStatus = httpStatus;
  }

  A2aError(int code, String message) {
    this(code, message, null, 200);
  }

  /** Invalid params, naming the field as {@code field: what is wrong}. */
  static A2aError invalid(String field, String problem) {
    return new A2aError(INVALID_PARAMS, field + ": " + problem, field, 200);
  }

  static A2aError invalidRequest(String problem) {
    return new A2aError(INVALID_REQUEST, problem);
  }

  static A2aError taskNotFound(String id) {
    return new A2aError(TASK_NOT_FOUND, "task " + id + " not found");
  }
}
