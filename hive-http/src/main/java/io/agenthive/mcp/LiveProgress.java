package io.agenthive.mcp;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A followed task's live text as {@code wait_for_task}'s progress: pieces are gathered and sent at
 * most every {@link #EVERY_NANOS} (a model's tokens would otherwise flood a session's buffer), the
 * amount rises from 2 towards 3 with the text's length across every stream the wait follows (MCP
 * wants it to increase), and nothing is sent once the tool has answered.
 */
final class LiveProgress implements AutoCloseable {
  private static final long EVERY_NANOS = 250_000_000L;

  /** A notification carries at most this much of the text (the rest is in the output). */
  private static final int MAX_PIECE_CHARS = 4096;

  private final HiveTool.Progress progress;
  private final StringBuilder pending = new StringBuilder();
  private long chars;
  private long sentAt = System.nanoTime() - EVERY_NANOS;
  private boolean closed;
  volatile boolean ended;

  LiveProgress(HiveTool.Progress progress) {
    this.progress = progress;
  }

  /** One event of the stream: text is gathered, {@code end} noted. */
  synchronized void take(String name, JsonNode data) {
    if (name.equals("end")) {
      ended = true;
      return;
    }
    if (!name.equals("so_far") && !name.equals("partial")) {
      return;
    }
    String text = data.path("text").asText("");
    if (text.isEmpty()) {
      return;
    }
    chars += text.length();
    pending.append(text);
    if (System.nanoTime() - sentAt >= EVERY_NANOS) {
      flush();
    }
  }

  /** Sends what was gathered, if anything. */
  synchronized void flush() {
    if (closed || pending.isEmpty()) {
      return;
    }
    String piece =
        pending.length() > MAX_PIECE_CHARS
            ? pending.substring(pending.length() - MAX_PIECE_CHARS)
            : pending.toString();
    pending.setLength(0);
    sentAt = System.nanoTime();
    progress.report(2 + chars / (chars + 1000.0), 3, piece);
  }

  @Override
  public synchronized void close() {
    closed = true;
  }
}
