package io.agenthive.mcp;

import io.modelcontextprotocol.spec.McpSchema;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Standard input as the SDK's stdio transport reads it, one JSON-RPC message per line. The SDK ends
 * the whole session on a line it cannot parse; here such a line (or one over {@code maxLine} bytes)
 * is answered with a JSON-RPC error of its own and never reaches the SDK, so one bad line costs one
 * error, not the assistant's connection. Every request line is also shown to {@code requests} (the
 * subscription watcher), and the end of input is announced on {@link #ended}.
 */
final class LineTap extends InputStream {
  private final InputStream in;
  private final LineOutput out;
  private final Consumer<McpSchema.JSONRPCRequest> requests;
  private final int maxLine;
  private byte[] current = new byte[0];
  private int position;
  final CompletableFuture<Void> ended = new CompletableFuture<>();

  LineTap(
      InputStream in, LineOutput out, Consumer<McpSchema.JSONRPCRequest> requests, int maxLine) {
    this.in = in;
    this.out = out;
    this.requests = requests;
    this.maxLine = maxLine;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    if (length == 0) {
      return 0;
    }
    while (position >= current.length) {
      if (!nextLine()) {
        ended.complete(null);
        return -1;
      }
    }
    int n = Math.min(length, current.length - position);
    System.arraycopy(current, position, buffer, offset, n);
    position += n;
    return n;
  }

  /** Reads the next good line into {@code current}; false at the end of input. */
  private boolean nextLine() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    boolean overlong = false;
    int b;
    while ((b = in.read()) >= 0 && b != '\n') {
      if (!overlong && line.size() >= maxLine) {
        overlong = true;
      }
      if (!overlong) {
        line.write(b);
      }
    }
    if (b < 0 && line.size() == 0) {
      return false;
    }
    String text = line.toString(StandardCharsets.UTF_8);
    if (overlong) {
      refuse(McpSchema.ErrorCodes.INVALID_REQUEST, "a message over " + maxLine + " bytes");
    } else if (!text.isBlank()) {
      try {
        var message = McpSchema.deserializeJsonRpcMessage(McpServers.MAPPER, text);
        if (message instanceof McpSchema.JSONRPCRequest request) {
          requests.accept(request);
        }
        current = (text + "\n").getBytes(StandardCharsets.UTF_8);
        position = 0;
      } catch (Exception e) {
        refuse(McpSchema.ErrorCodes.PARSE_ERROR, "not a JSON-RPC message: " + McpServers.reason(e));
      }
    }
    return true;
  }

  private void refuse(int code, String message) throws IOException {
    out.write((McpServers.errorWithoutId(code, message) + "\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  /**
   * Standard output shared by the SDK's writer and our error answers: each thread's bytes are held
   * until its line is complete, then written whole, so two writers never interleave a line.
   */
  static final class LineOutput extends OutputStream {
    private final OutputStream out;
    private final ThreadLocal<ByteArrayOutputStream> pending =
        ThreadLocal.withInitial(ByteArrayOutputStream::new);

    LineOutput(OutputStream out) {
      this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      ByteArrayOutputStream mine = pending.get();
      for (int i = offset; i < offset + length; i++) {
        mine.write(bytes[i]);
        if (bytes[i] == '\n') {
          synchronized (out) {
            mine.writeTo(out);
            out.flush();
          }
          mine.reset();
        }
      }
    }

    @Override
    public void flush() throws IOException {
      synchronized (out) {
        out.flush();
      }
    }
  }
}
