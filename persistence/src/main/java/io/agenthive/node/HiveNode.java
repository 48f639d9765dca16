package io.agenthive.node;

import com.typesafe.config.Config;
import io.agenthive.hive.Hive;
import io.agenthive.persistence.DatabaseSettings;
import io.agenthive.persistence.SchemaBootstrap;
import io.agenthive.persistence.readside.ReadSideBacklog;

/**
 * Starts a hive node on its configured database: resolves the journal settings, ensures the schema,
 * then starts the actor system with its read side, from which the matcher rebuilds what the journal
 * holds. The one way launchers and durable tests start a hub.
 */
public final class HiveNode {
  private HiveNode() {}

  /**
   * {@code config} must already be resolved with its fallbacks (e.g. {@code ConfigFactory.load}).
   */
  public static Hive start(String systemName, Config config) throws Exception {
    DatabaseSettings db = DatabaseSettings.from(config);
    SchemaBootstrap.ensure(db);
    return Hive.start(systemName, db.journalConfig().withFallback(config), ReadSideBacklog::new);
  }
}
