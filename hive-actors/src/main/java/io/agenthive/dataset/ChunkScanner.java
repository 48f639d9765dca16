package io.agenthive.dataset;

import io.agenthive.task.DatasetSpec;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Finds chunk boundaries in a byte stream and the SHA-256 of every chunk, keeping no bytes: its
 * memory is the same for a kilobyte and a terabyte. Byte chunks are exactly {@code chunkBytes} long
 * (the last may be shorter). Record chunks hold whole records and end at the first record end at or
 * past {@code chunkBytes}; a record is a line, except that in CSV a newline inside double quotes
 * does not end it. A record longer than {@code maxRecordBytes} ends its chunk there (flagged, so
 * the loader reports it as malformed) and the rest of it is skipped, so no chunk is longer than
 * {@code chunkBytes + maxRecordBytes}.
 */
public final class ChunkScanner {

  /** A chunk found: where it is, its digest, the 1-based line it starts on (0 for bytes). */
  public record Chunk(
      long index,
      long offset,
      long length,
      String sha256,
      long firstLine,
      boolean oversizedLastRecord,
      long endLine) {}

  private final DatasetSpec.Format format;
  private final int chunkBytes;
  private final int maxRecordBytes;
  private final MessageDigest digest;
  private long index;
  private long chunkStart;
  private long position;
  private long line;
  private long chunkFirstLine;
  private long recordLength;
  private boolean inQuotes;
  private boolean skipping;

  /**
   * Starts scanning at byte {@code offset} of the input, on line {@code line} (records); {@code
   * inOversizedRecord}: the offset is inside a record that was cut, whose rest is skipped.
   */
  public ChunkScanner(
      DatasetSpec.Format format,
      int chunkBytes,
      int maxRecordBytes,
      long firstIndex,
      long offset,
      long line,
      boolean inOversizedRecord) {
    this.format = format;
    this.chunkBytes = chunkBytes;
    this.maxRecordBytes = maxRecordBytes;
    this.digest = sha256();
    this.index = firstIndex;
    this.chunkStart = offset;
    this.position = offset;
    this.line = line;
    this.chunkFirstLine = line;
    this.skipping = inOversizedRecord;
  }

  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  /** The chunks that end within {@code data[from, to)}. */
  public List<Chunk> feed(byte[] data, int from, int to) {
    List<Chunk> found = new ArrayList<>(2);
    if (format.byRecords()) {
      scanRecords(data, from, to, found);
    } else {
      scanBytes(data, from, to, found);
    }
    return found;
  }

  /** The last, shorter chunk, if any bytes are left. */
  public List<Chunk> finish() {
    List<Chunk> last = new ArrayList<>(1);
    if (!skipping && position > chunkStart) {
      last.add(cut(false));
    }
    return last;
  }

  /** Where the next chunk would start: after the last chunk and any skipped record. */
  public long position() {
    return position;
  }

  private void scanBytes(byte[] data, int from, int to, List<Chunk> found) {
    int i = from;
    while (i < to) {
      int take = (int) Math.min(to - i, chunkBytes - (position - chunkStart));
      digest.update(data, i, take);
      position += take;
      i += take;
      if (position - chunkStart == chunkBytes) {
        found.add(cut(false));
      }
    }
  }

  private void scanRecords(byte[] data, int from, int to, List<Chunk> found) {
    boolean csv = format == DatasetSpec.Format.CSV;
    int segment = from; // start of the bytes not yet added to the digest
    for (int i = from; i < to; i++) {
      byte b = data[i];
      if (csv && b == '"') {
        inQuotes = !inQuotes;
      }
      boolean recordEnds = b == '\n' && !inQuotes;
      if (b == '\n') {
        line++;
      }
      if (skipping) {
        if (recordEnds) {
          skipping = false;
          recordLength = 0;
          chunkStart = position + (i + 1 - segment);
          position = chunkStart;
          segment = i + 1;
          chunkFirstLine = line;
        }
        continue;
      }
      recordLength++;
      if (recordEnds) {
        recordLength = 0;
        long length = position - chunkStart + (i + 1 - segment);
        if (length >= chunkBytes) {
          digest.update(data, segment, i + 1 - segment);
          position += i + 1 - segment;
          segment = i + 1;
          found.add(cut(false));
        }
      } else if (recordLength > maxRecordBytes) {
        digest.update(data, segment, i + 1 - segment);
        position += i + 1 - segment;
        segment = i + 1;
        found.add(cut(true));
        skipping = true;
      }
    }
    if (skipping) {
      position += to - segment;
      chunkStart = position;
    } else {
      digest.update(data, segment, to - segment);
      position += to - segment;
    }
  }

  private Chunk cut(boolean oversized) {
    String hex = HexFormat.of().formatHex(digest.digest());
    Chunk chunk =
        new Chunk(
            index++,
            chunkStart,
            position - chunkStart,
            hex,
            format.byRecords() ? chunkFirstLine : 0,
            oversized,
            line);
    chunkStart = position;
    chunkFirstLine = line;
    return chunk;
  }
}
