package io.agenthive.node;

import akka.persistence.Persistence;
import com.typesafe.config.Config;
import io.agenthive.blob.BlobStores;
import io.agenthive.cluster.PauseGuard;
import io.agenthive.hive.Hive;
import io.agenthive.persistence.DatabaseSettings;
import io.agenthive.persistence.EmbeddedDatabaseHold;
import io.agenthive.persistence.SchemaBootstrap;
import io.agenthive.persistence.readside.ReadSideBacklog;
import java.nio.file.Path;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a hive node on its configured database: resolves the journal settings, ensures the schema,
 * then starts the actor system with its read side, from which the matcher rebuilds what the journal
 * holds, and its blob store in the same database. The one way launchers and durable tests start a
 * hub.
 */
public final class HiveNode {
  private static final Logger log = LoggerFactory.getLogger(HiveNode.class);

  private HiveNode() {}

  /**
   * {@code config} must already be resolved with its fallbacks (e.g. {@code ConfigFactory.load}).
   */
  public static Hive start(String systemName, Config config) throws Exception {
    Path data = Path.of(config.getString("hive.persistence.data-dir")).toAbsolutePath();
    DataDirectory.secure(data);
    DatabaseSettings db = DatabaseSettings.from(config);
    // the embedded file is opened once, here, and closes when the node's pools and this hold have
    // all let go of it, at the end of the actor system's termination
    EmbeddedDatabaseHold hold = EmbeddedDatabaseHold.open(db);
    Hive hive;
    try {
      SchemaBootstrap.ensure(db);
      DataDirectory.secure(data); // the files a first start has just made are its owner's too
      hive = Hive.start(systemName, db.journalConfig().withFallback(config), ReadSideBacklog::new);
      // refused if the system has already ended (its guardian failed): released just below then
      hive.system().classicSystem().registerOnTermination(() -> release(hold));
    } catch (Exception | Error e) {
      release(hold);
      throw e;
    }
    try {
      // made now rather than at the first upload: the store's retention sweep starts with the node
      BlobStores.get(hive.system());
      // and the journal and snapshot plugins (DatabaseSettings#journalConfig) rather than with the
      // first entity on this node
      Persistence.get(hive.system().classicSystem());
      PauseGuard.start(hive.system());
    } catch (Exception | Error e) {
      // the caller gets no node to stop: its threads would keep the JVM, and the file, held
      hive.system().terminate();
      throw e;
    }
    return hive;
  }

  private static void release(EmbeddedDatabaseHold hold) {
    try {
      hold.close();
    } catch (SQLException e) {
      log.warn("Could not release the embedded database's hold: {}", e.toString());
    }
  }
}
