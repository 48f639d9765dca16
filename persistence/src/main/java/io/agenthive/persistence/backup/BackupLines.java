package io.agenthive.persistence.backup;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A backup file's lines as bytes, each at most {@link #MAX_LINE} long (a line past it is an error,
 * not a heap filled), with the SHA-256 of the lines before the latest, newlines included, as the
 * writer computed it for its end line.
 */
final class BackupLines {
  /** Far above any row the hub writes (a blob part is at most a few MiB in base64). */
  static final int MAX_LINE = 64 * 1024 * 1024;

  private final InputStream in;
  private final MessageDigest sha;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream(8192);
  private long number;
  // the line returned last, digested only when the next is read: the end line is not its own input
  private byte[] last;
  private boolean lastEndedInNewline;

  BackupLines(InputStream in) {
    this.in = in;
    try {
      this.sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /**
   * Whether the line {@link #next} returned last ended in a newline (a cut file's last does not).
   */
  boolean lastEndedInNewline() {
    return lastEndedInNewline;
  }

  /** The number of the line {@link #next} returned last (1-based). */
  long number() {
    return number;
  }

  /** The SHA-256 of every line before the one {@link #next} returned last. */
  byte[] digestBeforeLast() throws IOException {
    try {
      return ((MessageDigest) sha.clone()).digest();
    } catch (CloneNotSupportedException e) {
      throw new IOException("the JDK's SHA-256 cannot be copied", e);
    }
  }

  /** The next line without its newline, or null at the end of the file. */
  byte[] next() throws IOException {
    if (last != null) {
      sha.update(last);
      if (lastEndedInNewline) {
        sha.update((byte) '\n');
      }
    }
    line.reset();
    int b;
    while ((b = in.read()) != -1 && b != '\n') {
      if (line.size() >= MAX_LINE) {
        throw new ColumnCodec.BadLine(
            "line " + (number + 1) + " is longer than " + MAX_LINE + " bytes: not a backup line");
      }
      line.write(b);
    }
    if (b == -1 && line.size() == 0) {
      last = null;
      return null;
    }
    number++;
    last = line.toByteArray();
    lastEndedInNewline = b == '\n';
    return last;
  }
}
