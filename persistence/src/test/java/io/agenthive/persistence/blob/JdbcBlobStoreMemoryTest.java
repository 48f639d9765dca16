package io.agenthive.persistence.blob;

import static io.agenthive.hive.HiveTestKit.await;
import static org.junit.jupiter.api.Assertions.*;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import akka.util.ByteString;
import com.typesafe.config.Config;
import io.agenthive.blob.BlobStore;
import io.agenthive.blob.BlobStores;
import io.agenthive.persistence.DatabaseSettings;
import io.agenthive.persistence.SchemaBootstrap;
import io.agenthive.persistence.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A 50 MB write with the default part size (256 KiB) holds about two parts in the heap, not the
 * blob: measured as the bytes the sink has pulled from its source but not yet made durable.
 */
class JdbcBlobStoreMemoryTest {
  static final int PIECE = 64 * 1024;
  static final int PIECES = 800; // 50 MiB
  static ActorTestKit kit;
  static BlobStore store;

  @BeforeAll
  static void start() throws Exception {
    Path dir = Files.createTempDirectory("blob-memory-test");
    Config config = TestDatabase.config(dir);
    DatabaseSettings db = DatabaseSettings.from(config);
    SchemaBootstrap.ensure(db);
    kit = ActorTestKit.create("JdbcBlobStoreMemoryTest", db.journalConfig().withFallback(config));
    store = BlobStores.get(kit.system());
  }

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  static ByteString piece(int n) {
    byte[] bytes = new byte[PIECE];
    for (int i = 0; i < PIECE; i++) {
      bytes[i] = (byte) (n * 31 + i * 7 + (i >>> 9));
    }
    return ByteString.fromArrayUnsafe(bytes);
  }

  @Test
  void aFiftyMegabyteWriteKeepsAboutTwoPartsInFlightNotTheBlob() throws Exception {
    AtomicLong pulled = new AtomicLong();
    AtomicLong widestGap = new AtomicLong();
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    // every MiB pulled, ask how much is durable: what was pulled then minus what was durable
    // a moment later is at most what the sink held at that moment
    Source<ByteString, ?> source =
        Source.fromJavaStream(() -> IntStream.range(0, PIECES).boxed())
            .map(
                n -> {
                  ByteString bytes = piece(n);
                  sha.update(bytes.toArrayUnsafe());
                  long now = pulled.addAndGet(bytes.size());
                  if (now % (1024 * 1024) == 0) {
                    store
                        .info("fifty")
                        .thenAccept(
                            info -> {
                              long durable = info.map(BlobStore.BlobInfo::size).orElse(0L);
                              widestGap.accumulateAndGet(now - durable, Math::max);
                            });
                  }
                  return bytes;
                });
    BlobStore.BlobInfo info =
        await(
            source.runWith(
                store.write("fifty", BlobStore.Kind.UPLOAD, "t-fifty", Long.MAX_VALUE),
                kit.system()));
    assertEquals((long) PIECE * PIECES, info.size());
    assertEquals(HexFormat.of().formatHex(sha.digest()), info.sha256());
    System.out.printf(
        "50 MiB write: at most %d bytes pulled but not yet durable%n", widestGap.get());
    // the part being inserted, the next part cut, the bytes towards the one after, one piece
    assertTrue(
        widestGap.get() <= 2 * 1024 * 1024,
        "bytes pulled but not durable at most: " + widestGap.get());
    assertTrue(widestGap.get() > 0, "the gap was measured");

    MessageDigest back = MessageDigest.getInstance("SHA-256");
    long read =
        await(
            store
                .read("fifty", 0, -1)
                .runWith(
                    Sink.fold(
                        0L,
                        (n, bytes) -> {
                          back.update(bytes.toArray());
                          return n + bytes.size();
                        }),
                    kit.system()));
    assertEquals(info.size(), read);
    assertEquals(info.sha256(), HexFormat.of().formatHex(back.digest()));
    await(store.delete("fifty"));
  }
}
