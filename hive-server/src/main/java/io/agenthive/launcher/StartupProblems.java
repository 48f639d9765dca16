package io.agenthive.launcher;

import com.typesafe.config.Config;
import java.net.BindException;
import java.net.ConnectException;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The failures a person running {@code ./hive} causes and can fix, in one plain sentence each
 * instead of a stack trace: a port in use, the embedded database held by another process,
 * PostgreSQL not answering. docs/troubleshooting.md quotes these sentences.
 */
final class StartupProblems {
  private StartupProblems() {}

  /** The sentence for {@code failure}, or empty when it is none of these (then: a bug). */
  static Optional<String> explain(Throwable failure, Config config) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof BindException) {
        return Optional.of(
            "Port "
                + config.getInt("hive.http.port")
                + " on "
                + config.getString("hive.http.host")
                + " is already in use (another hub?): stop"
                + " it, or start this one with HIVE_HTTP_PORT=<a free port>.");
      }
      if (t instanceof SQLException sql && sql.getErrorCode() == 90020) { // H2: file locked
        return Optional.of(
            "The database in "
                + config.getString("hive.persistence.data-dir")
                + " is in use by another process (a running hub?): stop it first, or ask the"
                + " running hub (/api/audit/events, /api/hive/state).");
      }
      if (t instanceof ConnectException
          && "postgres".equals(config.getString("hive.persistence.db"))) {
        return Optional.of(
            "PostgreSQL at "
                + config.getString("hive.persistence.postgres.url")
                + " does not answer: start it (bash deploy/postgres/local-test-db.sh makes a local"
                + " one) or set HIVE_DB_URL.");
      }
    }
    return Optional.empty();
  }
}
