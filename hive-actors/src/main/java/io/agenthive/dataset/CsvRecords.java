package io.agenthive.dataset;

import java.util.ArrayList;
import java.util.List;

/** RFC 4180 fields of one CSV record: commas, double quotes, "" for a quote inside quotes. */
final class CsvRecords {
  private CsvRecords() {}

  /** The record's fields; throws {@link IllegalArgumentException} on a broken quote. */
  static List<String> fields(String record) {
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    boolean wasQuoted = false;
    for (int i = 0; i < record.length(); i++) {
      char c = record.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < record.length() && record.charAt(i + 1) == '"') {
          field.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          field.append(c);
        }
      } else if (c == '"') {
        if (field.length() > 0 || wasQuoted) {
          throw new IllegalArgumentException(
              "quote inside an unquoted field at column " + (fields.size() + 1));
        }
        quoted = true;
        wasQuoted = true;
      } else if (c == ',') {
        fields.add(field.toString());
        field.setLength(0);
        wasQuoted = false;
      } else if (wasQuoted) {
        throw new IllegalArgumentException(
            "text after a closing quote at column " + (fields.size() + 1));
      } else {
        field.append(c);
      }
    }
    if (quoted) {
      throw new IllegalArgumentException("unterminated quote at column " + (fields.size() + 1));
    }
    fields.add(field.toString());
    return fields;
  }
}
