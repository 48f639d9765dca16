package io.agenthive.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import io.agenthive.hive.Hive;
import io.agenthive.hive.HiveTestKit;
import io.agenthive.node.HiveNode;
import io.agenthive.persistence.TestDatabase;
import io.agenthive.testing.Eventually;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.h2.api.DatabaseEventListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node, and a command that reads the journal, open the embedded database file once and close it
 * once at their end. Closing it after the schema bootstrap and opening it again for the pools cost
 * over a second of every start on a large journal; releasing it at the end is what lets the next
 * process (a command, a restart) open it.
 */
class EmbeddedDatabaseOpensOnceTest {
  @TempDir Path dataDir;

  /** Counts the opens and closes of every H2 database in this JVM that names it in its URL. */
  public static final class OpenCounter implements DatabaseEventListener {
    static final AtomicInteger opened = new AtomicInteger();
    static final AtomicInteger closed = new AtomicInteger();

    @Override
    public void opened() {
      opened.incrementAndGet();
    }

    @Override
    public void closingDatabase() {
      closed.incrementAndGet();
    }
  }

  private Config counted() {
    Config h2 = TestDatabase.h2(dataDir);
    return h2.withValue(
            "hive.persistence.h2.options",
            ConfigValueFactory.fromAnyRef(
                h2.getString("hive.persistence.h2.options")
                    + ";DATABASE_EVENT_LISTENER='"
                    + OpenCounter.class.getName()
                    + "'"))
        .withValue(
            "hive.http.auth.signing-key-file",
            ConfigValueFactory.fromAnyRef(dataDir.resolve("signing-key.jwk").toString()));
  }

  @Test
  void aNodeAndAJournalCommandEachOpenTheFileOnceAndReleaseIt() throws Exception {
    OpenCounter.opened.set(0);
    OpenCounter.closed.set(0);
    Hive hive = HiveNode.start("opens-once", counted());
    try {
      HiveTestKit.await(hive.ready(Duration.ofSeconds(20)));
      assertEquals(1, OpenCounter.opened.get(), "opens while the node starts");
      assertEquals(0, OpenCounter.closed.get(), "closes while the node runs");
    } finally {
      hive.system().terminate();
      hive.system().getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    // the last pool lets go of its connections just after the actor system's end
    Eventually.until(OpenCounter.closed::get, n -> n > 0, "the node's end releases the file");
    assertEquals(1, OpenCounter.opened.get(), "opens in all");
    assertEquals(1, OpenCounter.closed.get(), "closes in all");

    Path out = dataDir.resolve("export.ndjson");
    assertEquals(0, JournalCommands.export(counted(), List.of("--out", out.toString())));
    assertEquals(2, OpenCounter.opened.get(), "the export opens the file once");
    Eventually.until(OpenCounter.closed::get, n -> n > 1, "the export releases the file");
    assertEquals(2, OpenCounter.opened.get(), "opens in all, once the export released it");
  }
}
