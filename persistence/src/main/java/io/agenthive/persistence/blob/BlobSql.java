package io.agenthive.persistence.blob;

import io.agenthive.blob.BlobStore.BlobInfo;
import io.agenthive.blob.BlobStore.Kind;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The statements on {@code hive_blob} and {@code hive_blob_part} (hive/schema/blobs.sql), the same
 * on H2 and PostgreSQL. Callers own the connection and its transaction. Every ORDER BY names the
 * primary key's columns in its order: H2 only reads an index in order (and stops after LIMIT rows)
 * when the ORDER BY matches it; ordering by {@code start_offset} alone made it read and sort every
 * later part of the blob for each page.
 */
final class BlobSql {
  /** A part of a blob: its first byte's offset in the blob, and its bytes. */
  record Part(long start, byte[] bytes) {
    long end() {
      return start + bytes.length;
    }
  }

  /** Where a part is, without its bytes. */
  record PartRef(long start, int size) {
    long end() {
      return start + size;
    }
  }

  private BlobSql() {}

  static Optional<BlobInfo> info(Connection c, String id) throws SQLException {
    try (PreparedStatement st =
        c.prepareStatement(
            "SELECT kind, task_id, size_bytes, sha256, complete, created_at_ms"
                + " FROM hive_blob WHERE blob_id = ?")) {
      st.setString(1, id);
      try (ResultSet rs = st.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(
            new BlobInfo(
                id,
                Kind.valueOf(rs.getString(1)),
                rs.getString(2),
                rs.getLong(3),
                rs.getString(4),
                rs.getBoolean(5),
                Instant.ofEpochMilli(rs.getLong(6))));
      }
    }
  }

  /** A new, empty, unfinished blob {@code id} (none of that id may exist). */
  static void create(Connection c, String id, Kind kind, String taskId, Instant at)
      throws SQLException {
    try (PreparedStatement st =
        c.prepareStatement(
            "INSERT INTO hive_blob (blob_id, kind, task_id, size_bytes, sha256, complete,"
                + " created_at_ms) VALUES (?, ?, ?, 0, NULL, FALSE, ?)")) {
      st.setString(1, id);
      st.setString(2, kind.name());
      st.setString(3, taskId);
      st.setLong(4, at.toEpochMilli());
      st.executeUpdate();
    }
  }

  static void insertPart(Connection c, String id, long start, byte[] bytes) throws SQLException {
    try (PreparedStatement st =
        c.prepareStatement(
            "INSERT INTO hive_blob_part (blob_id, start_offset, part_size, bytes)"
                + " VALUES (?, ?, ?, ?)")) {
      st.setString(1, id);
      st.setLong(2, start);
      st.setInt(3, bytes.length);
      st.setBytes(4, bytes);
      st.executeUpdate();
    }
  }

  /** Writes the part at {@code start} whole, whether it existed (an appender's tail) or not. */
  static void putPart(Connection c, String id, long start, byte[] bytes) throws SQLException {
    try (PreparedStatement st =
        c.prepareStatement(
            "UPDATE hive_blob_part SET part_size = ?, bytes = ?"
                + " WHERE blob_id = ? AND start_offset = ?")) {
      st.setInt(1, bytes.length);
      st.setBytes(2, bytes);
      st.setString(3, id);
      st.setLong(4, start);
      if (st.executeUpdate() == 1) {
        return;
      }
    }
    insertPart(c, id, start, bytes);
  }

  static void setSize(Connection c, String id, long size, boolean complete, String sha256)
      throws SQLException {
    try (PreparedStatement st =
        c.prepareStatement(
            "UPDATE hive_blob SET size_bytes = ?, complete = ?, sha256 = ? WHERE blob_id = ?")) {
      st.setLong(1, size);
      st.setBoolean(2, complete);
      st.setString(3, sha256);
      st.setString(4, id);
      st.executeUpdate();
    }
  }

  /**
   * Deletes the first {@code batch} parts of the blob; returns how many there were. A blob is
   * deleted a few parts per transaction ({@link BlobRemoval}): H2 keeps what a transaction deletes
   * in memory until it commits, and a gigabyte blob deleted at once ran it out of heap.
   */
  static int deleteParts(Connection c, String id, int batch) throws SQLException {
    long last = -1;
    int found = 0;
    try (PreparedStatement st =
        c.prepareStatement(
            "SELECT start_offset FROM hive_blob_part WHERE blob_id = ?"
                + " ORDER BY blob_id, start_offset LIMIT ?")) {
      st.setString(1, id);
      st.setInt(2, batch);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          last = rs.getLong(1);
          found++;
        }
      }
    }
    if (found > 0) {
      try (PreparedStatement st =
          c.prepareStatement(
              "DELETE FROM hive_blob_part WHERE blob_id = ? AND start_offset <= ?")) {
        st.setString(1, id);
        st.setLong(2, last);
        st.executeUpdate();
      }
    }
    return found;
  }

  static void deleteRow(Connection c, String id) throws SQLException {
    try (PreparedStatement st = c.prepareStatement("DELETE FROM hive_blob WHERE blob_id = ?")) {
      st.setString(1, id);
      st.executeUpdate();
    }
  }

  static long total(Connection c) throws SQLException {
    try (PreparedStatement st =
            c.prepareStatement("SELECT COALESCE(SUM(size_bytes), 0) FROM hive_blob");
        ResultSet rs = st.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /**
   * Up to {@code limit} parts in order that hold bytes of {@code [from, end)}. With {@code locate},
   * the first is the part holding byte {@code from} (the last part starting at or before it, one
   * more indexed lookup); without, {@code from} must be where a part starts (a reader going on from
   * the end of the part it read last).
   */
  static List<Part> parts(Connection c, String id, long from, long end, int limit, boolean locate)
      throws SQLException {
    PartRef first = locate ? lastStartingAtOrBefore(c, id, from) : null;
    long start = first != null && first.end() > from ? first.start() : from;
    List<Part> out = new ArrayList<>();
    try (PreparedStatement st =
        c.prepareStatement(
            "SELECT start_offset, bytes FROM hive_blob_part"
                + " WHERE blob_id = ? AND start_offset >= ? AND start_offset < ?"
                + " ORDER BY blob_id, start_offset LIMIT ?")) {
      st.setString(1, id);
      st.setLong(2, start);
      st.setLong(3, end);
      st.setInt(4, limit);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          out.add(new Part(rs.getLong(1), rs.getBytes(2)));
        }
      }
    }
    return out;
  }

  /** The last part starting at or before {@code offset}, or null. */
  static PartRef lastStartingAtOrBefore(Connection c, String id, long offset) throws SQLException {
    try (PreparedStatement st =
        c.prepareStatement(
            "SELECT start_offset, part_size FROM hive_blob_part"
                + " WHERE blob_id = ? AND start_offset <= ?"
                + " ORDER BY blob_id DESC, start_offset DESC LIMIT 1")) {
      st.setString(1, id);
      st.setLong(2, offset);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? new PartRef(rs.getLong(1), rs.getInt(2)) : null;
      }
    }
  }

  /** The bytes of the part starting at {@code start}. */
  static byte[] partBytes(Connection c, String id, long start) throws SQLException {
    try (PreparedStatement st =
        c.prepareStatement(
            "SELECT bytes FROM hive_blob_part WHERE blob_id = ? AND start_offset = ?")) {
      st.setString(1, id);
      st.setLong(2, start);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? rs.getBytes(1) : new byte[0];
      }
    }
  }

  /** Cuts the blob's parts back to its first {@code size} bytes (a part straddling it trimmed). */
  static void truncate(Connection c, String id, long size) throws SQLException {
    try (PreparedStatement st =
        c.prepareStatement("DELETE FROM hive_blob_part WHERE blob_id = ? AND start_offset >= ?")) {
      st.setString(1, id);
      st.setLong(2, size);
      st.executeUpdate();
    }
    PartRef last = lastStartingAtOrBefore(c, id, size);
    if (last != null && last.end() > size) {
      byte[] bytes = partBytes(c, id, last.start());
      putPart(c, id, last.start(), Arrays.copyOf(bytes, (int) (size - last.start())));
    }
  }
}
