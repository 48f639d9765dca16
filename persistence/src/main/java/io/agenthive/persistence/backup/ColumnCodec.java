package io.agenthive.persistence.backup;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;

/**
 * How one column's value is written into a backup line and set again at import, by its JDBC type,
 * the same on H2 and PostgreSQL: numbers and booleans as JSON's, text as strings, bytes as base64,
 * timestamps as ISO-8601 instants. A type it does not know is an error, never a value guessed.
 */
final class ColumnCodec {
  private ColumnCodec() {}

  enum Kind {
    WHOLE,
    BOOLEAN,
    TEXT,
    BYTES,
    INSTANT
  }

  static Kind kindOf(int jdbcType, String column) throws SQLException {
    return switch (jdbcType) {
      case Types.BIGINT, Types.INTEGER, Types.SMALLINT, Types.TINYINT -> Kind.WHOLE;
      case Types.BOOLEAN, Types.BIT -> Kind.BOOLEAN;
      case Types.VARCHAR, Types.CHAR, Types.LONGVARCHAR, Types.CLOB, Types.NVARCHAR -> Kind.TEXT;
      case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB -> Kind.BYTES;
      case Types.TIMESTAMP, Types.TIMESTAMP_WITH_TIMEZONE -> Kind.INSTANT;
      default ->
          throw new SQLException(
              "column "
                  + column
                  + " has a type the backup does not know (JDBC type "
                  + jdbcType
                  + ")");
    };
  }

  static void write(JsonGenerator out, ResultSet rs, int column, Kind kind)
      throws SQLException, IOException {
    switch (kind) {
      case WHOLE -> {
        long v = rs.getLong(column);
        if (rs.wasNull()) {
          out.writeNull();
        } else {
          out.writeNumber(v);
        }
      }
      case BOOLEAN -> {
        boolean v = rs.getBoolean(column);
        if (rs.wasNull()) {
          out.writeNull();
        } else {
          out.writeBoolean(v);
        }
      }
      case TEXT -> out.writeString(rs.getString(column));
      case BYTES -> {
        byte[] v = rs.getBytes(column);
        if (v == null) {
          out.writeNull();
        } else {
          out.writeString(Base64.getEncoder().encodeToString(v));
        }
      }
      case INSTANT -> {
        OffsetDateTime v = rs.getObject(column, OffsetDateTime.class);
        if (v == null) {
          out.writeNull();
        } else {
          out.writeString(v.toInstant().toString());
        }
      }
    }
  }

  /** Sets parameter {@code at} from a line's value; a value of the wrong shape is an error. */
  static void set(PreparedStatement st, int at, JsonNode v, Kind kind, String column)
      throws SQLException {
    if (v == null || v.isNull()) {
      st.setNull(at, sqlType(kind));
      return;
    }
    try {
      switch (kind) {
        case WHOLE -> {
          if (!v.canConvertToLong() || !v.isIntegralNumber()) {
            throw new IllegalArgumentException("a whole number");
          }
          st.setLong(at, v.longValue());
        }
        case BOOLEAN -> {
          if (!v.isBoolean()) {
            throw new IllegalArgumentException("true or false");
          }
          st.setBoolean(at, v.booleanValue());
        }
        case TEXT -> {
          if (!v.isTextual()) {
            throw new IllegalArgumentException("a string");
          }
          st.setString(at, v.textValue());
        }
        case BYTES -> {
          if (!v.isTextual()) {
            throw new IllegalArgumentException("base64 text");
          }
          st.setBytes(at, Base64.getDecoder().decode(v.textValue()));
        }
        case INSTANT -> {
          if (!v.isTextual()) {
            throw new IllegalArgumentException("an ISO-8601 instant");
          }
          st.setObject(at, Instant.parse(v.textValue()).atOffset(ZoneOffset.UTC));
        }
      }
    } catch (IllegalArgumentException | java.time.format.DateTimeParseException e) {
      throw new BadLine("column " + column + " must hold " + shape(kind) + ", not " + v);
    }
  }

  private static String shape(Kind kind) {
    return switch (kind) {
      case WHOLE -> "a whole number";
      case BOOLEAN -> "true or false";
      case TEXT -> "a string";
      case BYTES -> "base64 text";
      case INSTANT -> "an ISO-8601 instant";
    };
  }

  private static int sqlType(Kind kind) {
    return switch (kind) {
      case WHOLE -> Types.BIGINT;
      case BOOLEAN -> Types.BOOLEAN;
      case TEXT -> Types.VARCHAR;
      case BYTES -> Types.VARBINARY;
      case INSTANT -> Types.TIMESTAMP_WITH_TIMEZONE;
    };
  }

  /** A line the import cannot use: its message says why, the importer adds the line's number. */
  static final class BadLine extends RuntimeException {
    BadLine(String message) {
      super(message, null, false, false);
    }
  }
}
