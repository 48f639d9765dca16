package io.agenthive.skill;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real local HTTP endpoint that answers badly, chosen by the path's first segment (any rest of
 * the path is ignored, so an LLM base URL can point here too): {@code /json/<n>} a valid JSON
 * document of {@code n} bytes, streamed; {@code /text/<n>} {@code n} bytes that are not JSON;
 * {@code /endless} bytes until the caller goes away; {@code /stall} the headers and a few bytes,
 * then nothing. It counts what it sent, so a test can tell that the caller stopped reading.
 */
public final class AbusiveEndpoint implements AutoCloseable {
  private static final int CHUNK = 64 * 1024;
  private final HttpServer server;
  private final CountDownLatch closing = new CountDownLatch(1);
  private final AtomicLong sent = new AtomicLong();

  public AbusiveEndpoint() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/", this::answer);
    server.start();
  }

  public String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  /** Bytes written to callers so far, all requests together. */
  public long sent() {
    return sent.get();
  }

  private void answer(HttpExchange x) throws IOException {
    x.getRequestBody().readAllBytes();
    String[] parts = x.getRequestURI().getPath().split("/");
    String kind = parts.length > 1 ? parts[1] : "";
    x.getResponseHeaders().add("Content-Type", "application/json");
    x.sendResponseHeaders(200, 0); // chunked: the length is not announced
    try (OutputStream out = x.getResponseBody()) {
      switch (kind) {
        case "json" -> json(out, Long.parseLong(parts[2]));
        case "text" -> bytes(out, Long.parseLong(parts[2]), (byte) 'x');
        case "endless" -> bytes(out, Long.MAX_VALUE, (byte) 'x');
        case "stall" -> stall(out);
        default -> write(out, "{\"ok\": true}".getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException callerWentAway) {
      // what the endless and oversized answers expect: the caller cut the connection
    }
  }

  private void json(OutputStream out, long size) throws IOException {
    write(out, "{\"data\": \"".getBytes(StandardCharsets.UTF_8));
    bytes(out, Math.max(0, size - 13), (byte) 'y');
    write(out, "\"}".getBytes(StandardCharsets.UTF_8));
  }

  private void bytes(OutputStream out, long size, byte b) throws IOException {
    byte[] chunk = new byte[CHUNK];
    Arrays.fill(chunk, b);
    for (long left = size; left > 0; left -= CHUNK) {
      out.write(chunk, 0, (int) Math.min(CHUNK, left));
      sent.addAndGet(Math.min(CHUNK, left));
    }
  }

  private void stall(OutputStream out) throws IOException {
    write(out, "{\"par".getBytes(StandardCharsets.UTF_8));
    out.flush();
    try {
      closing.await(10, TimeUnit.MINUTES); // nothing more, until the endpoint closes
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void write(OutputStream out, byte[] bytes) throws IOException {
    out.write(bytes);
    sent.addAndGet(bytes.length);
  }

  @Override
  public void close() {
    closing.countDown();
    server.stop(0);
  }
}
