package io.agenthive.dataset;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agenthive.blob.BlobStore;
import io.agenthive.task.ChunkRef;
import io.agenthive.task.DatasetSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;

/**
 * Reads one chunk's bytes from its input (the blob store or a server file; blocking: callers run it
 * on the datasets I/O dispatcher), checks their SHA-256, and turns them into what the skill sees:
 * the parsed records, or the raw bytes. A record that does not parse is reported with its line
 * number and left out; it does not fail the chunk.
 */
public final class ChunkLoader {
  /** At most this many malformed records are listed per chunk; all of them are counted. */
  static final int MALFORMED_LISTED = 100;

  // one record per call: anything after the value is an error
  private static final ObjectMapper JSON =
      JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
  // many records from one parser: the next record is not "trailing"
  private static final ObjectMapper JSON_STREAM = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** The skill's input, and how many records were parsed and how many were not. */
  public record Loaded(JsonNode input, long records, long malformedCount, ArrayNode malformed) {}

  private ChunkLoader() {}

  /** Loads {@code chunk} from its input: the blob store for an upload, else its file. */
  public static Loaded load(ChunkRef chunk, BlobStore blobs, DatasetSettings settings)
      throws IOException, ChunkIntegrityException {
    return load(chunk, DatasetInput.of(chunk.path(), blobs, settings));
  }

  static Loaded load(ChunkRef chunk, DatasetInput from)
      throws IOException, ChunkIntegrityException {
    byte[] bytes = from.readRange(chunk.offset(), (int) chunk.length());
    String actual = HexFormat.of().formatHex(ChunkScanner.sha256().digest(bytes));
    if (!actual.equals(chunk.sha256())) {
      throw new ChunkIntegrityException(chunk, actual);
    }
    ObjectNode input =
        NODES.objectNode().put("dataset_task", chunk.datasetTaskId()).put("chunk", chunk.index());
    if (!chunk.format().byRecords()) {
      input.put("offset", chunk.offset()).put("length", chunk.length());
      input.set("data", NODES.binaryNode(bytes));
      return new Loaded(input, 0, 0, NODES.arrayNode());
    }
    input.put("first_line", chunk.firstLine());
    Records records = new Records(chunk, input.putArray("records"));
    if (chunk.format() == DatasetSpec.Format.NDJSON) {
      records.ndjson(bytes);
    } else {
      records.csv(new String(bytes, StandardCharsets.UTF_8));
    }
    return new Loaded(input, records.parsed, records.malformedCount, records.malformed);
  }

  /** Parses one chunk's records, collecting the good ones and reporting the bad ones. */
  private static final class Records {
    private final ChunkRef chunk;
    private final ArrayNode out;
    private final ArrayNode malformed = NODES.arrayNode();
    private long parsed;
    private long malformedCount;

    Records(ChunkRef chunk, ArrayNode out) {
      this.chunk = chunk;
      this.out = out;
    }

    /**
     * One parser for the whole chunk (a parser per record costs more than the parsing); when a
     * record does not parse, or a line holds other than exactly one value, the chunk is parsed
     * again line by line to report each bad record with its line number.
     */
    void ndjson(byte[] bytes) {
      int end = chunk.oversizedLastRecord() ? lastLineStart(bytes) : bytes.length;
      if (!fastNdjson(bytes, end)) {
        out.removeAll();
        parsed = 0;
        lineByLine(bytes);
      } else if (end < bytes.length) {
        bad(
            chunk.firstLine() + lineCount(bytes, end),
            "record longer than the record size " + "limit; skipped");
      }
    }

    private boolean fastNdjson(byte[] bytes, int length) {
      try (JsonParser parser = JSON_STREAM.getFactory().createParser(bytes, 0, length)) {
        int lastLine = 0;
        while (parser.nextToken() != null) {
          int startLine = parser.currentTokenLocation().getLineNr();
          JsonNode record = JSON_STREAM.readTree(parser);
          if (startLine == lastLine || parser.currentLocation().getLineNr() != startLine) {
            return false;
          }
          lastLine = startLine;
          out.add(record);
          parsed++;
        }
        return true;
      } catch (IOException e) {
        return false;
      }
    }

    private static int lastLineStart(byte[] bytes) {
      int i = bytes.length;
      while (i > 0 && bytes[i - 1] != '\n') {
        i--;
      }
      return i;
    }

    private static long lineCount(byte[] bytes, int end) {
      long n = 0;
      for (int i = 0; i < end; i++) {
        n += bytes[i] == '\n' ? 1 : 0;
      }
      return n;
    }

    private void lineByLine(byte[] bytes) {
      long line = chunk.firstLine();
      int start = 0;
      for (int i = 0; i <= bytes.length; i++) {
        if (i < bytes.length && bytes[i] != '\n') {
          continue;
        }
        boolean last = i == bytes.length;
        if (last && start == bytes.length) {
          break;
        }
        if (last && chunk.oversizedLastRecord()) {
          bad(line, "record longer than the record size limit; skipped");
          break;
        }
        int end = i > start && bytes[i - 1] == '\r' ? i - 1 : i;
        if (!isBlank(bytes, start, end)) {
          try {
            out.add(JSON.readTree(bytes, start, end - start));
            parsed++;
          } catch (IOException e) {
            bad(line, describe(e));
          }
        }
        line++;
        start = i + 1;
      }
    }

    void csv(String text) {
      List<String> header = chunk.header();
      long line = chunk.firstLine();
      long recordLine = line;
      boolean quoted = false;
      int start = 0;
      for (int i = 0; i <= text.length(); i++) {
        char c = i < text.length() ? text.charAt(i) : '\n';
        boolean last = i == text.length();
        if (c == '"') {
          quoted = !quoted;
        }
        if (c == '\n' && !last) {
          line++;
        }
        if (c != '\n' || (quoted && !last)) {
          continue;
        }
        if (last && start == text.length()) {
          break;
        }
        if (last && chunk.oversizedLastRecord()) {
          bad(recordLine, "record longer than the record size limit; skipped");
          break;
        }
        int end = i > start && text.charAt(i - 1) == '\r' ? i - 1 : i;
        String record = text.substring(start, end);
        if (!record.isBlank()) {
          row(record, header, recordLine);
        }
        start = i + 1;
        recordLine = line;
      }
    }

    private void row(String record, List<String> header, long line) {
      try {
        List<String> fields = CsvRecords.fields(record);
        if (fields.size() != header.size()) {
          bad(line, "has " + fields.size() + " fields; the header has " + header.size());
          return;
        }
        ObjectNode row = out.addObject();
        for (int f = 0; f < fields.size(); f++) {
          row.put(header.get(f), fields.get(f));
        }
        parsed++;
      } catch (IllegalArgumentException e) {
        bad(line, e.getMessage());
      }
    }

    private void bad(long line, String error) {
      malformedCount++;
      if (malformed.size() < MALFORMED_LISTED) {
        malformed.addObject().put("line", line).put("error", error);
      }
    }

    private static boolean isBlank(byte[] bytes, int from, int to) {
      for (int i = from; i < to; i++) {
        if (bytes[i] != ' ' && bytes[i] != '\t') {
          return false;
        }
      }
      return true;
    }

    private static String describe(IOException e) {
      return e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
    }
  }
}
