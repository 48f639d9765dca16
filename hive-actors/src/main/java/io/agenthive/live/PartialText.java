package io.agenthive.live;

import java.nio.charset.StandardCharsets;

/**
 * The text an attempt has produced so far, at most {@code maxBytes} of it (UTF-8): past the cap,
 * further text is dropped and the buffer says it was cut, so a runaway stream cannot fill memory.
 */
final class PartialText {
  private final long maxBytes;
  private final StringBuilder text = new StringBuilder();
  private long bytes;
  private boolean truncated;

  PartialText(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  /** Appends what fits; returns the part kept (empty once the cap is reached). */
  String append(String more) {
    if (truncated) {
      return "";
    }
    long size = more.getBytes(StandardCharsets.UTF_8).length;
    if (bytes + size <= maxBytes) {
      bytes += size;
      text.append(more);
      return more;
    }
    truncated = true;
    StringBuilder kept = new StringBuilder();
    for (int i = 0; i < more.length(); ) {
      int cp = more.codePointAt(i);
      int cpBytes = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
      if (bytes + cpBytes > maxBytes) {
        break;
      }
      bytes += cpBytes;
      kept.appendCodePoint(cp);
      i += Character.charCount(cp);
    }
    text.append(kept);
    return kept.toString();
  }

  String text() {
    return text.toString();
  }

  boolean truncated() {
    return truncated;
  }
}
