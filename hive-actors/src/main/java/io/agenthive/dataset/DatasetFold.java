package io.agenthive.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agenthive.blob.BlobStore;
import io.agenthive.task.ChunkRef;
import io.agenthive.task.DatasetProgress;
import io.agenthive.task.Task;
import io.agenthive.task.TaskStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Folds chunk outcomes, in chunk order, into the counters a checkpoint journals and the lines of
 * the result file. Keeps counters only: the per-chunk outputs go to the file, not the heap.
 */
final class DatasetFold {
  /** A chunk and its chunk task as it ended. */
  record Outcome(ChunkScanner.Chunk chunk, ChunkRef ref, Task task) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private long chunksDone;
  private long chunksFailed;
  private long records;
  private long malformed;
  private final long bytesTotal;
  private long nextOffset;
  private long nextLine;
  private boolean nextInOversizedRecord;
  private String firstFailure;
  private String firstMalformed;

  DatasetFold(DatasetProgress from) {
    chunksDone = from.chunksDone();
    chunksFailed = from.chunksFailed();
    records = from.recordsDone();
    malformed = from.malformedRecords();
    bytesTotal = from.bytesTotal();
    nextOffset = from.nextOffset();
    nextLine = from.nextLine();
    nextInOversizedRecord = from.nextInOversizedRecord();
  }

  /** Counts the outcome in; returns its line for the result file. */
  byte[] add(Outcome o) throws IOException {
    return add(o, null);
  }

  /**
   * The same, with the chunk task's output read from {@code blobs} when it was too large to keep in
   * its event (blocking: the I/O dispatcher calls this).
   */
  byte[] add(Outcome o, BlobStore blobs) throws IOException {
    ObjectNode line =
        NODES
            .objectNode()
            .put("chunk", o.chunk().index())
            .put("offset", o.chunk().offset())
            .put("length", o.chunk().length())
            .put("sha256", o.chunk().sha256());
    if (o.ref().format().byRecords()) {
      line.put("first_line", o.chunk().firstLine());
    }
    Task task = o.task();
    line.put("task_id", task.id())
        .put("status", task.status().label())
        .put("attempts", task.attempts());
    if (task.assignedAgent() != null) {
      line.put("agent", task.assignedAgent());
    }
    JsonNode out = task.result() == null ? null : task.result().output();
    var stored = task.result() == null ? null : task.result().stored();
    if (stored != null && blobs != null) {
      out = JSON.readTree(blobs.readRange(stored.blobId(), 0, (int) stored.size()));
    }
    if (task.status() == TaskStatus.COMPLETED && out != null) {
      long chunkRecords = out.path("records").asLong(0);
      long chunkMalformed = out.path("malformed_count").asLong(0);
      records += chunkRecords;
      malformed += chunkMalformed;
      if (o.ref().format().byRecords()) {
        line.put("records", chunkRecords).put("malformed_records", chunkMalformed);
        if (chunkMalformed > 0) {
          line.set("malformed", out.path("malformed"));
          if (firstMalformed == null) {
            JsonNode first = out.path("malformed").path(0);
            firstMalformed =
                "malformed record at line "
                    + first.path("line").asLong()
                    + ": "
                    + first.path("error").asText();
          }
        }
      }
      line.set("output", out.path("output"));
    } else {
      chunksFailed++;
      String error =
          task.result() == null || task.result().error() == null
              ? "chunk task " + task.status().label()
              : task.result().error();
      line.put("error_type", errorType(task, error)).put("error", error);
      if (firstFailure == null) {
        firstFailure = "chunk " + o.chunk().index() + ": " + error;
      }
    }
    chunksDone++;
    nextOffset = o.chunk().offset() + o.chunk().length();
    nextLine = o.chunk().endLine();
    nextInOversizedRecord = o.chunk().oversizedLastRecord();
    return (JSON.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8);
  }

  private static String errorType(Task task, String error) {
    if (error.startsWith(ChunkIntegrityException.PREFIX)) {
      return "checksum_mismatch";
    }
    return task.status() == TaskStatus.CANCELLED ? "cancelled" : "failed";
  }

  long chunksDone() {
    return chunksDone;
  }

  /** The first malformed record, when the task says malformed records fail it; else null. */
  String firstMalformed() {
    return firstMalformed;
  }

  DatasetProgress progress(long resultBytes) {
    return new DatasetProgress(
        chunksDone,
        chunksFailed,
        records,
        malformed,
        nextOffset,
        bytesTotal,
        nextOffset,
        nextLine,
        nextInOversizedRecord,
        resultBytes);
  }

  /** The whole input was read: everything up to its end is done. */
  DatasetProgress finalProgress(long resultBytes) {
    return new DatasetProgress(
        chunksDone,
        chunksFailed,
        records,
        malformed,
        bytesTotal,
        bytesTotal,
        bytesTotal,
        nextLine,
        false,
        resultBytes);
  }

  /** Null when every chunk completed; else what failed, for the task's error. */
  String failure() {
    return chunksFailed == 0
        ? null
        : chunksFailed + " of " + chunksDone + " chunks failed; first: " + firstFailure;
  }

  JsonNode summary(String taskId, long resultBytes) {
    ObjectNode s =
        NODES
            .objectNode()
            .put("chunks", chunksDone)
            .put("chunks_failed", chunksFailed)
            .put("records", records)
            .put("malformed_records", malformed)
            .put("bytes", bytesTotal);
    s.putObject("result").put("href", "/api/tasks/" + taskId + "/result").put("bytes", resultBytes);
    return s;
  }
}
