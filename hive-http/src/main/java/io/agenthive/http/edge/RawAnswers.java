package io.agenthive.http.edge;

import akka.util.ByteString;
import io.agenthive.http.json.ErrorHandling;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Answers written straight onto a connection, below akka-http: to a connection refused before its
 * request was read, or to one whose headers never arrived. The same error body as every other
 * refusal, a request id, and {@code Connection: close} (the hub closes the connection after it).
 */
final class RawAnswers {
  private RawAnswers() {}

  /** Past {@code hive.http.connections.max-per-address}. */
  static ByteString tooManyConnections(int max) {
    return answer(
        "503 Service Unavailable",
        "too_many_connections",
        "this address already has "
            + max
            + " connections open to the hub (hive.http.connections.max-per-address,"
            + " HIVE_HTTP_MAX_CONNECTIONS_PER_ADDRESS); close some, or retry later",
        5);
  }

  /** Past {@code hive.http.connections.header-timeout}. */
  static ByteString headerTimeout(java.time.Duration timeout) {
    return answer(
        "408 Request Timeout",
        "header_timeout",
        "the request's headers did not arrive whole within "
            + timeout.toMillis()
            + " ms (hive.http.connections.header-timeout, HIVE_HTTP_HEADER_TIMEOUT);"
            + " the connection is closed",
        null);
  }

  private static ByteString answer(String status, String code, String message, Integer retry) {
    String requestId = UUID.randomUUID().toString();
    byte[] body = ErrorHandling.body(code, message, requestId);
    String head =
        "HTTP/1.1 "
            + status
            + "\r\nContent-Type: application/json\r\nContent-Length: "
            + body.length
            + "\r\nX-Request-Id: "
            + requestId
            + "\r\nX-Content-Type-Options: nosniff"
            + (retry == null ? "" : "\r\nRetry-After: " + retry)
            + "\r\nConnection: close\r\n\r\n";
    return ByteString.fromArray(head.getBytes(StandardCharsets.US_ASCII))
        .concat(ByteString.fromArray(body));
  }
}
