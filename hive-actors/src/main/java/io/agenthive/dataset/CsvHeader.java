package io.agenthive.dataset;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;

/** The first line of a CSV input: its column names, and where the data starts. */
record CsvHeader(List<String> fields, long endOffset) {

  static CsvHeader read(Path file, int maxBytes) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    long offset = 0;
    try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(file))) {
      int b;
      while ((b = in.read()) != -1) {
        offset++;
        if (b == '\n') {
          break;
        }
        if (line.size() >= maxBytes) {
          throw new DatasetPipeline.Rejected(
              "the CSV header is longer than " + maxBytes + " bytes");
        }
        line.write(b);
      }
    }
    String text = line.toString(StandardCharsets.UTF_8).replaceFirst("\r$", "");
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
    return new CsvHeader(fields, offset);
  }
}
