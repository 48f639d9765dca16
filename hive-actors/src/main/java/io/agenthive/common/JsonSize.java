package io.agenthive.common;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/** How many bytes a JSON value takes when written, counted without keeping them. */
public final class JsonSize {
  private static final ObjectMapper JSON = new ObjectMapper();

  private JsonSize() {}

  /** Bytes {@code node} takes as JSON; 0 for none. */
  public static long bytes(JsonNode node) {
    if (node == null) {
      return 0;
    }
    Counting out = new Counting();
    try {
      JSON.writeValue(out, node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.count;
  }

  private static final class Counting extends OutputStream {
    long count;

    @Override
    public void write(int b) {
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      count += len;
    }
  }
}
