package io.agenthive.persistence.readside;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One page of a read table in creation order (or by a sort key, then creation order), newest or
 * oldest first, with keyset cursors both ways: {@code after} names the last row of the page before
 * (read on from it), {@code before} the first row of the page after (read back from it). In
 * creation order a cursor is the row's id; sorted, it holds the key and offset the row had when the
 * page was read ({@link SortCursor}), so a row whose key changes meanwhile neither repeats nor
 * hides rows. A page costs one query however deep it is, unlike an offset, and stays stable while
 * rows are added. An unknown cursor gives an empty page, never the first one again.
 *
 * @param newestFirst descending (newest first, or the highest key first when sorted)
 * @param after read the rows after this one in the list's order (null: from the start)
 * @param before read the rows before this one in the list's order (wins over {@code after})
 * @param sortKey an SQL expression over the table's columns to order by before creation order, or
 *     null; only ever one of the queries' own constants (see {@link ListSort}), never a caller's
 *     text
 */
public record ListWindow(
    boolean newestFirst, String after, String before, int limit, String sortKey) {

  public ListWindow(boolean newestFirst, String after, String before, int limit) {
    this(newestFirst, after, before, limit, null);
  }

  /** A page's cursors: {@code next} null on the last page, {@code previous} null on the first. */
  public record Cursors(String next, String previous) {}

  /** A page's rows in the list's order, and its cursors. */
  record Rows<T>(List<T> rows, Cursors cursors) {}

  interface RowMapper<T> {
    T map(ResultSet rs) throws SQLException;
  }

  /** Reads the window's rows of {@code table} where {@code where} holds, in the list's order. */
  <T> Rows<T> read(
      Connection c,
      String table,
      String idColumn,
      String columns,
      String where,
      List<Object> args,
      RowMapper<T> mapper)
      throws SQLException {
    boolean back = before != null;
    String cursor = back ? before : after;
    // reading back runs the other way, then the rows are turned round
    boolean descending = newestFirst != back;
    StringBuilder sql =
        new StringBuilder("SELECT ")
            .append(columns)
            .append(
                sortKey == null
                    ? ""
                    : ", " + sortKey + " AS sort_value, created_offset AS sort_offset")
            .append(" FROM ")
            .append(table)
            .append(" WHERE ")
            .append(where);
    List<Object> all = new ArrayList<>(args);
    String op = descending ? "<" : ">";
    if (cursor != null && sortKey == null) {
      sql.append(" AND created_offset ")
          .append(op)
          .append(" COALESCE((SELECT created_offset FROM ")
          .append(table)
          .append(" WHERE ")
          .append(idColumn)
          .append(" = ?), ")
          .append(descending ? "-1" : Long.toString(Long.MAX_VALUE))
          .append(")");
      all.add(cursor);
    } else if (cursor != null) {
      SortCursor at = SortCursor.decode(cursor);
      if (at == null) {
        return new Rows<>(List.of(), new Cursors(null, null)); // not a cursor of this list
      }
      // past the row the cursor was taken at, with the values it had then
      sql.append(" AND (")
          .append(sortKey)
          .append(' ')
          .append(op)
          .append(" ? OR (")
          .append(sortKey)
          .append(" = ? AND created_offset ")
          .append(op)
          .append(" ?))");
      all.add(at.value());
      all.add(at.value());
      all.add(at.offset());
    }
    String direction = descending ? " DESC" : " ASC";
    sql.append(" ORDER BY ");
    if (sortKey != null) {
      sql.append(sortKey).append(direction).append(", ");
    }
    sql.append("created_offset").append(direction).append(" LIMIT ").append(limit + 1);
    List<String> ids = new ArrayList<>(); // each row's cursor
    List<T> rows = new ArrayList<>();
    boolean more = false;
    try (PreparedStatement st = c.prepareStatement(sql.toString())) {
      for (int i = 0; i < all.size(); i++) {
        st.setObject(i + 1, all.get(i));
      }
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          if (rows.size() == limit) {
            more = true;
            break;
          }
          ids.add(
              sortKey == null
                  ? rs.getString(idColumn)
                  : new SortCursor(rs.getObject("sort_value"), rs.getLong("sort_offset")).encode());
          rows.add(mapper.map(rs));
        }
      }
    }
    if (back) {
      Collections.reverse(rows);
      Collections.reverse(ids);
    }
    if (ids.isEmpty()) {
      return new Rows<>(rows, new Cursors(null, null));
    }
    String first = ids.get(0);
    String last = ids.get(ids.size() - 1);
    // read on: a next page if there were more rows; read back: the page we came from is next
    String next = back || more ? last : null;
    String previous = back ? (more ? first : null) : (cursor != null ? first : null);
    return new Rows<>(rows, new Cursors(next, previous));
  }
}
