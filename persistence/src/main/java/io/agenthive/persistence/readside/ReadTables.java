package io.agenthive.persistence.readside;

import akka.projection.ProjectionId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletionException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The read tables as a whole: emptied for a rebuild, and the projection's stored offset. */
final class ReadTables {
  private static final Logger log = LoggerFactory.getLogger(ReadTables.class);
  private static final String[] TABLES = {
    "hive_task_view", "hive_agent_view", "hive_agent_capability", "hive_task_counts"
  };

  private ReadTables() {}

  /**
   * Rows written under an offset that no longer exists (or by an older projection) would be applied
   * a second time by the rebuild, so a projection without an offset starts from empty tables.
   */
  static void emptyWithoutOffset(DataSource pool, String offsetTable, ProjectionId id) {
    try (Connection c = pool.getConnection()) {
      if (offset(c, offsetTable, id) < 0) {
        try (Statement st = c.createStatement()) {
          for (String table : TABLES) {
            st.executeUpdate("DELETE FROM " + table);
          }
        }
        log.info(
            "Read model [{}] has no offset: read tables emptied, rebuilding from the journal",
            id.name());
      }
      c.commit();
    } catch (SQLException e) {
      throw new CompletionException(e);
    }
  }

  /** The journal offset the projection stored (its last applied event); -1 when none. */
  static long offset(Connection c, String offsetTable, ProjectionId id) throws SQLException {
    try (PreparedStatement st =
        c.prepareStatement(
            "SELECT \"current_offset\" FROM \""
                + offsetTable
                + "\" WHERE \"projection_name\" = ? AND \"projection_key\" = ?")) {
      st.setString(1, id.name());
      st.setString(2, id.key());
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? Long.parseLong(rs.getString(1)) : -1;
      }
    }
  }
}
