package io.agenthive.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.agenthive.http.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 by hand over a plain socket, for what java.net.http will not send (a Host header of our
 * choosing, half a request, a garbage method) and for a client address other than 127.0.0.1 (the
 * whole of 127.0.0.0/8 is loopback on Linux, so {@code 127.0.0.2} is "another machine" to the hub's
 * per-address limits).
 */
final class RawHttp implements AutoCloseable {
  final Socket socket;

  private RawHttp(Socket socket) {
    this.socket = socket;
  }

  /** A connection to the hub from {@code from} (e.g. "127.0.0.2"); reads wait up to 20 s. */
  static RawHttp open(int port, String from) throws IOException {
    Socket s = new Socket();
    s.bind(new InetSocketAddress(from, 0));
    s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    s.setSoTimeout(20_000);
    return new RawHttp(s);
  }

  RawHttp send(String text) throws IOException {
    return send(text.getBytes(StandardCharsets.UTF_8));
  }

  RawHttp send(byte[] bytes) throws IOException {
    socket.getOutputStream().write(bytes);
    socket.getOutputStream().flush();
    return this;
  }

  /**
   * One answer; its body read by Content-Length, else to the end of the connection (none for 1xx,
   * 204, 304).
   */
  Answer read() throws IOException {
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0) {
      head.write(b);
      if (head.size() >= 4 && endsWithBlankLine(head.toByteArray())) {
        break;
      }
    }
    if (head.size() == 0) {
      return new Answer(0, Map.of(), "", null);
    }
    String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.put(
            lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
            lines[i].substring(colon + 1).trim());
      }
    }
    boolean none = status < 200 || status == 204 || status == 304; // answers without a body
    byte[] body =
        none
            ? new byte[0]
            : headers.containsKey("content-length")
                ? in.readNBytes(Integer.parseInt(headers.get("content-length")))
                : headers.containsKey("transfer-encoding") ? new byte[0] : in.readAllBytes();
    String text = new String(body, StandardCharsets.UTF_8);
    JsonNode json =
        headers.getOrDefault("content-type", "").startsWith("application/json") && body.length > 0
            ? Json.MAPPER.readTree(body)
            : null;
    return new Answer(status, headers, text, json);
  }

  /** Whether the hub has closed the connection (read returns end of stream). */
  boolean closedByHub() throws IOException {
    try {
      return socket.getInputStream().read() < 0;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException reset) {
      return true;
    }
  }

  private static boolean endsWithBlankLine(byte[] b) {
    int n = b.length;
    return b[n - 4] == '\r' && b[n - 3] == '\n' && b[n - 2] == '\r' && b[n - 1] == '\n';
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  record Answer(int status, Map<String, String> headers, String body, JsonNode json) {
    String code() {
      return json == null ? null : json.at("/error/code").asText(null);
    }
  }
}
