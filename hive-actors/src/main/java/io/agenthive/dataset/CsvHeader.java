package io.agenthive.dataset;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;

/** The first line of a CSV input: its column names, and where the data starts. */
record CsvHeader(List<String> fields, long endOffset) {

  /** Reads at most {@code maxBytes} and the line end after them (blocking: the I/O dispatcher). */
  static CsvHeader read(DatasetInput input, int maxBytes) throws IOException {
    byte[] head = input.readRange(0, maxBytes + 1);
    int end = 0;
    while (end < head.length && head[end] != '\n') {
      end++;
    }
    if (end == head.length && head.length > maxBytes) {
      throw new DatasetPipeline.Rejected("the CSV header is longer than " + maxBytes + " bytes");
    }
    long endOffset = end < head.length ? end + 1 : end;
    String text = new String(head, 0, end, StandardCharsets.UTF_8).replaceFirst("\r$", "");
    if (text.isBlank()) {
      throw new DatasetPipeline.Rejected("the CSV input has no header line");
    }
    List<String> fields;
    try {
      fields = CsvRecords.fields(text);
    } catch (IllegalArgumentException e) {
      throw new DatasetPipeline.Rejected("the CSV header (line 1) " + e.getMessage());
    }
    if (new HashSet<>(fields).size() != fields.size()) {
      throw new DatasetPipeline.Rejected("the CSV header (line 1) names a column twice");
    }
    return new CsvHeader(fields, endOffset);
  }
}
