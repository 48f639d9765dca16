package io.agenthive.node;

import akka.persistence.Persistence;
import com.typesafe.config.Config;
import io.agenthive.blob.BlobStores;
import io.agenthive.cluster.PauseGuard;
import io.agenthive.hive.Hive;
import io.agenthive.persistence.DatabaseSettings;
import io.agenthive.persistence.SchemaBootstrap;
import io.agenthive.persistence.readside.ReadSideBacklog;
import java.nio.file.Path;

/**
 * Starts a hive node on its configured database: resolves the journal settings, ensures the schema,
 * then starts the actor system with its read side, from which the matcher rebuilds what the journal
 * holds, and its blob store in the same database. The one way launchers and durable tests start a
 * hub.
 */
public final class HiveNode {
  private HiveNode() {}

  /**
   * {@code config} must already be resolved with its fallbacks (e.g. {@code ConfigFactory.load}).
   */
  public static Hive start(String systemName, Config config) throws Exception {
    Path data = Path.of(config.getString("hive.persistence.data-dir")).toAbsolutePath();
    DataDirectory.secure(data);
    DatabaseSettings db = DatabaseSettings.from(config);
    SchemaBootstrap.ensure(db);
    DataDirectory.secure(data); // the files a first start has just made are its owner's too
    Hive hive =
        Hive.start(systemName, db.journalConfig().withFallback(config), ReadSideBacklog::new);
    // made now rather than at the first upload: the store's retention sweep starts with the node
    BlobStores.get(hive.system());
    // and the journal and snapshot plugins (DatabaseSettings#journalConfig) rather than with the
    // first entity on this node
    Persistence.get(hive.system().classicSystem());
    PauseGuard.start(hive.system());
    return hive;
  }
}
