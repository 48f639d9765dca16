package io.agenthive.dataset;

import static org.junit.jupiter.api.Assertions.*;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.stream.javadsl.Source;
import akka.util.ByteString;
import com.fasterxml.jackson.databind.JsonNode;
import io.agenthive.blob.BlobStore;
import io.agenthive.blob.BlobStores;
import io.agenthive.hive.HiveTestKit;
import io.agenthive.task.ChunkRef;
import io.agenthive.task.DatasetSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChunkLoaderTest {
  // for the blob store (in memory: this module has no database)
  static final ActorTestKit kit = ActorTestKit.create();
  @TempDir Path dir;

  @AfterAll
  static void shutdown() {
    kit.shutdownTestKit();
  }

  DatasetSettings settings() {
    return allowing(dir);
  }

  DatasetSettings allowing(Path allowed) {
    return new DatasetSettings(
        dir.resolve("work"),
        List.of(allowed),
        1024,
        2,
        1024,
        4096,
        4,
        Duration.ofSeconds(5),
        Duration.ofDays(7),
        DatasetSettings.IO_DISPATCHER);
  }

  /** Loads a chunk of a server file (these tests' inputs), as an agent does. */
  ChunkLoader.Loaded load(ChunkRef chunk, DatasetSettings settings) throws Exception {
    return ChunkLoader.load(chunk, new DatasetInput.File(Path.of(chunk.path()), settings));
  }

  ChunkRef whole(Path file, DatasetSpec.Format format, long firstLine, List<String> header)
      throws Exception {
    byte[] data = Files.readAllBytes(file);
    return new ChunkRef(
        "t1",
        0,
        file.toString(),
        0,
        data.length,
        ChunkScannerTest.sha(data, 0, data.length),
        format,
        firstLine,
        header,
        false);
  }

  @Test
  void ndjsonRecordsAreParsedAndABadLineIsReportedWithItsNumber() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("in.ndjson"), "{\"a\":1}\n\n{\"a\":2}\r\n{oops\n{\"a\":3} trailing\n[4]\n");
    ChunkLoader.Loaded loaded =
        load(whole(file, DatasetSpec.Format.NDJSON, 10, List.of()), settings());
    assertEquals(3, loaded.records());
    assertEquals(2, loaded.malformedCount());
    assertEquals(13, loaded.malformed().get(0).path("line").asLong());
    assertEquals(14, loaded.malformed().get(1).path("line").asLong());
    JsonNode records = loaded.input().path("records");
    assertEquals(2, records.get(1).path("a").asInt());
    assertTrue(records.get(2).isArray());
  }

  @Test
  void wellFormedLinesParseInOnePassAndAValueSpanningLinesIsReportedPerLine() throws Exception {
    Path good =
        Files.writeString(
            dir.resolve("good.ndjson"), "{\"a\":1}\r\n\n  {\"a\":2}\n\"text\"\n[1,2]");
    ChunkLoader.Loaded loaded =
        load(whole(good, DatasetSpec.Format.NDJSON, 1, List.of()), settings());
    assertEquals(4, loaded.records());
    assertEquals(0, loaded.malformedCount());
    Path spanning =
        Files.writeString(
            dir.resolve("spanning.ndjson"), "{\"a\":1}\n{\"b\":\n2}\n{\"c\":3} {\"d\":4}\n");
    loaded = load(whole(spanning, DatasetSpec.Format.NDJSON, 1, List.of()), settings());
    assertEquals(1, loaded.records(), "only the first line is one whole value");
    assertEquals(
        List.of(2L, 3L, 4L),
        java.util.stream.StreamSupport.stream(loaded.malformed().spliterator(), false)
            .map(m -> m.path("line").asLong())
            .toList());
  }

  @Test
  void csvRowsBecomeObjectsByHeaderAndAShortRowIsMalformed() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("in.csv"),
            "1,\"Smith, Jo\",\"said \"\"hi\"\"\"\n2,short\n3,\"two\nlines\",x\n");
    ChunkLoader.Loaded loaded =
        load(whole(file, DatasetSpec.Format.CSV, 2, List.of("id", "name", "note")), settings());
    assertEquals(2, loaded.records());
    JsonNode rows = loaded.input().path("records");
    assertEquals("Smith, Jo", rows.get(0).path("name").asText());
    assertEquals("said \"hi\"", rows.get(0).path("note").asText());
    assertEquals("two\nlines", rows.get(1).path("name").asText());
    assertEquals(3, loaded.malformed().get(0).path("line").asLong());
  }

  @Test
  void bytesThatChangedSinceSplittingAreAChecksumMismatch() throws Exception {
    Path file = Files.writeString(dir.resolve("in.bin"), "0123456789");
    ChunkRef chunk = whole(file, DatasetSpec.Format.BYTES, 0, List.of());
    assertArrayEquals(
        "0123456789".getBytes(StandardCharsets.UTF_8),
        load(chunk, settings()).input().path("data").binaryValue());
    Files.writeString(file, "0123456780");
    ChunkIntegrityException e =
        assertThrows(ChunkIntegrityException.class, () -> load(chunk, settings()));
    assertTrue(e.getMessage().startsWith(ChunkIntegrityException.PREFIX), e.getMessage());
  }

  @Test
  void aFileOutsideTheAllowedDirectoriesIsNotRead() throws Exception {
    Path file = Files.writeString(dir.resolve("in.bin"), "data");
    DatasetSettings elsewhere = allowing(dir.resolve("other"));
    assertThrows(
        java.io.IOException.class,
        () -> load(whole(file, DatasetSpec.Format.BYTES, 0, List.of()), elsewhere));
  }

  @Test
  void anUploadedChunkIsReadFromTheBlobStoreAndItsDigestChecked() throws Exception {
    byte[] data = "{\"a\":1}\n{\"a\":2}\n{\"a\":3}\n".getBytes(StandardCharsets.UTF_8);
    BlobStore store = BlobStores.get(kit.system());
    HiveTestKit.await(
        Source.single(ByteString.fromArray(data))
            .runWith(store.write("upload-c", BlobStore.Kind.UPLOAD, "t1", 1024), kit.system()));
    // the second and third records: a range inside the blob
    int from = 8;
    ChunkRef chunk =
        new ChunkRef(
            "t1",
            1,
            DatasetSpec.blobPath("upload-c"),
            from,
            data.length - from,
            ChunkScannerTest.sha(data, from, data.length - from),
            DatasetSpec.Format.NDJSON,
            2,
            List.of(),
            false);
    ChunkLoader.Loaded loaded = ChunkLoader.load(chunk, store, settings());
    assertEquals(2, loaded.records());
    assertEquals(3, loaded.input().path("records").get(1).path("a").asInt());

    byte[] changed = data.clone();
    changed[from + 6] = '9';
    HiveTestKit.await(
        Source.single(ByteString.fromArray(changed))
            .runWith(store.write("upload-c", BlobStore.Kind.UPLOAD, "t1", 1024), kit.system()));
    assertThrows(ChunkIntegrityException.class, () -> ChunkLoader.load(chunk, store, settings()));
    HiveTestKit.await(store.delete("upload-c"));
    assertThrows(BlobStore.BlobMissing.class, () -> ChunkLoader.load(chunk, store, settings()));
  }
}
