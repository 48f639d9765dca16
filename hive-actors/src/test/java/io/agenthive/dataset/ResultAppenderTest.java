package io.agenthive.dataset;

import static io.agenthive.hive.HiveTestKit.await;
import static io.agenthive.hive.HiveTestKit.blobText;
import static org.junit.jupiter.api.Assertions.*;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import io.agenthive.blob.BlobStore;
import io.agenthive.blob.BlobStores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A dataset's result blob, opened at its checkpoint, including across the upgrade from files. */
class ResultAppenderTest {
  static final ActorTestKit kit = ActorTestKit.create();
  static final BlobStore store = BlobStores.get(kit.system());
  @TempDir Path dir;

  @AfterAll
  static void shutdown() {
    kit.shutdownTestKit();
  }

  DatasetSettings settings() {
    return new DatasetSettings(
        dir, List.of(), 1024, 1, 1024, 4096, 4, Duration.ofSeconds(5), Duration.ofDays(7), "");
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aResumedResultIsCutBackToItsCheckpoint() throws Exception {
    try (BlobStore.Appender first = ResultAppender.open(store, settings(), "t-cut", 0, false)) {
      first.append(utf8("{\"chunk\":0}\n"));
      first.append(utf8("{\"chunk\":1}\n"));
    }
    long checkpoint = utf8("{\"chunk\":0}\n").length;
    try (BlobStore.Appender again =
        ResultAppender.open(store, settings(), "t-cut", checkpoint, true)) {
      again.append(utf8("{\"chunk\":1,\"again\":true}\n"));
    }
    assertEquals(
        "{\"chunk\":0}\n{\"chunk\":1,\"again\":true}\n",
        blobText(kit.system(), DatasetBlobs.resultId("t-cut")));
  }

  @Test
  void aJobResumedAcrossTheUpgradeCopiesItsCheckpointedLinesFromTheOldResultFile()
      throws Exception {
    Path results = Files.createDirectories(dir.resolve("results"));
    String written = "{\"chunk\":0}\n{\"chunk\":1}\n{\"chunk\":2,\"after the checkpoint\":1}\n";
    Files.writeString(results.resolve("t-old.ndjson"), written);
    long checkpoint = utf8("{\"chunk\":0}\n{\"chunk\":1}\n").length;
    try (BlobStore.Appender resumed =
        ResultAppender.open(store, settings(), "t-old", checkpoint, false)) {
      assertEquals(checkpoint, resumed.sync());
      resumed.append(utf8("{\"chunk\":2}\n"));
    }
    assertEquals(
        "{\"chunk\":0}\n{\"chunk\":1}\n{\"chunk\":2}\n",
        blobText(kit.system(), DatasetBlobs.resultId("t-old")));
    assertTrue(
        await(store.info(DatasetBlobs.resultId("t-old"))).orElseThrow().complete(),
        "closed: complete");
  }
}
