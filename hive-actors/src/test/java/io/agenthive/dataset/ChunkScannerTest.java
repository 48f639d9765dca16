package io.agenthive.dataset;

import static org.junit.jupiter.api.Assertions.*;

import io.agenthive.task.DatasetSpec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ChunkScannerTest {

  /** Feeds {@code data} in pieces of {@code piece} bytes, as a file stream would. */
  static List<ChunkScanner.Chunk> scan(ChunkScanner scanner, byte[] data, int from, int piece) {
    List<ChunkScanner.Chunk> out = new ArrayList<>();
    for (int i = from; i < data.length; i += piece) {
      out.addAll(scanner.feed(data, i, Math.min(data.length, i + piece)));
    }
    out.addAll(scanner.finish());
    return out;
  }

  static String sha(byte[] data, long offset, long length) {
    return HexFormat.of()
        .formatHex(
            ChunkScanner.sha256()
                .digest(Arrays.copyOfRange(data, (int) offset, (int) (offset + length))));
  }

  @Test
  void byteChunksAreExactlyChunkSizedAndCarryTheirOwnDigest() {
    byte[] data = new byte[10 * 1024 + 17];
    new Random(7).nextBytes(data);
    List<ChunkScanner.Chunk> chunks =
        scan(new ChunkScanner(DatasetSpec.Format.BYTES, 1024, 1024, 0, 0, 0, false), data, 0, 333);
    assertEquals(11, chunks.size());
    for (int i = 0; i < chunks.size(); i++) {
      ChunkScanner.Chunk c = chunks.get(i);
      assertEquals(i, c.index());
      assertEquals(i * 1024L, c.offset());
      assertEquals(i < 10 ? 1024 : 17, c.length());
      assertEquals(sha(data, c.offset(), c.length()), c.sha256(), "chunk " + i);
    }
  }

  @Test
  void recordChunksEndAtARecordEndAndCoverTheInputWithoutGaps() {
    StringBuilder text = new StringBuilder();
    Random random = new Random(3);
    for (int i = 1; i <= 300; i++) {
      text.append("{\"n\":")
          .append(i)
          .append(",\"pad\":\"")
          .append("x".repeat(random.nextInt(40)))
          .append("\"}\n");
    }
    byte[] data = text.toString().getBytes(StandardCharsets.UTF_8);
    List<ChunkScanner.Chunk> chunks =
        scan(new ChunkScanner(DatasetSpec.Format.NDJSON, 500, 4096, 0, 0, 1, false), data, 0, 97);
    long expectedOffset = 0;
    long expectedLine = 1;
    for (ChunkScanner.Chunk c : chunks) {
      assertEquals(expectedOffset, c.offset(), "no gap before chunk " + c.index());
      assertEquals(expectedLine, c.firstLine(), "first line of chunk " + c.index());
      assertEquals('\n', data[(int) (c.offset() + c.length() - 1)], "ends at a record end");
      assertEquals(sha(data, c.offset(), c.length()), c.sha256());
      long lines =
          new String(data, (int) c.offset(), (int) c.length(), StandardCharsets.UTF_8)
              .chars()
              .filter(ch -> ch == '\n')
              .count();
      assertEquals(c.firstLine() + lines, c.endLine());
      boolean last = c.offset() + c.length() == data.length;
      assertTrue(last || c.length() >= 500, "only the last chunk is short");
      expectedOffset = c.offset() + c.length();
      expectedLine = c.endLine();
    }
    assertEquals(data.length, expectedOffset);
    assertEquals(301, expectedLine);
  }

  @Test
  void aCsvNewlineInsideQuotesDoesNotEndARecord() {
    String row = "1,\"two\nlines\",x\n";
    byte[] data = (row.repeat(3)).getBytes(StandardCharsets.UTF_8);
    int quotedNewline = row.indexOf('\n');
    List<ChunkScanner.Chunk> chunks =
        scan(
            new ChunkScanner(DatasetSpec.Format.CSV, quotedNewline - 1, 4096, 0, 0, 2, false),
            data,
            0,
            5);
    assertEquals(3, chunks.size(), "one chunk per row, each past the chunk size");
    assertEquals(row.length(), chunks.get(0).length());
    assertEquals(4, chunks.get(1).firstLine(), "each row spans two lines");
  }

  @Test
  void anOversizedRecordEndsItsChunkAndIsSkippedAlsoWhenResumedInsideIt() {
    String text =
        "{\"a\":1}\n" + "{\"big\":\"" + "y".repeat(300) + "\"}\n" + "{\"b\":2}\n" + "{\"c\":3}\n";
    byte[] data = text.getBytes(StandardCharsets.UTF_8);
    List<ChunkScanner.Chunk> chunks =
        scan(new ChunkScanner(DatasetSpec.Format.NDJSON, 1000, 100, 0, 0, 1, false), data, 0, 64);
    assertEquals(2, chunks.size());
    ChunkScanner.Chunk cut = chunks.get(0);
    assertTrue(cut.oversizedLastRecord());
    assertEquals(8 + 101, cut.length(), "the first record and the limit's worth of the big one");
    ChunkScanner.Chunk after = chunks.get(1);
    assertEquals(text.indexOf("{\"b\""), after.offset(), "the big record's rest is skipped");
    assertEquals(3, after.firstLine());

    List<ChunkScanner.Chunk> resumed =
        scan(
            new ChunkScanner(
                DatasetSpec.Format.NDJSON,
                1000,
                100,
                1,
                cut.offset() + cut.length(),
                cut.endLine(),
                true),
            data,
            (int) (cut.offset() + cut.length()),
            64);
    assertEquals(List.of(after), resumed);
  }

  @Test
  void resumingAtAChunkBoundaryFindsTheSameChunksAsTheFirstPass() {
    byte[] data = "abc\n".repeat(1000).getBytes(StandardCharsets.UTF_8);
    List<ChunkScanner.Chunk> all =
        scan(new ChunkScanner(DatasetSpec.Format.NDJSON, 256, 1024, 0, 0, 1, false), data, 0, 1000);
    ChunkScanner.Chunk k = all.get(5);
    List<ChunkScanner.Chunk> rest =
        scan(
            new ChunkScanner(
                DatasetSpec.Format.NDJSON, 256, 1024, k.index(), k.offset(), k.firstLine(), false),
            data,
            (int) k.offset(),
            777);
    assertEquals(all.subList(5, all.size()), rest);
  }
}
