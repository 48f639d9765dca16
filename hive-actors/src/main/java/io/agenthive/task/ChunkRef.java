package io.agenthive.task;

import io.agenthive.common.CborSerializable;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One chunk of a dataset, as its chunk task carries it: where its bytes are and their SHA-256,
 * never the bytes themselves (the journal keeps references, the file keeps data). The agent that
 * runs the chunk reads the bytes and checks the digest before its skill sees them. {@code
 * firstLine} is the 1-based line the chunk starts on (0 for byte chunks); {@code
 * oversizedLastRecord} says the chunk was cut inside a record longer than the record limit, which
 * is then reported as malformed.
 */
public record ChunkRef(
    String datasetTaskId,
    long index,
    String path,
    long offset,
    long length,
    String sha256,
    DatasetSpec.Format format,
    long firstLine,
    List<String> header,
    boolean oversizedLastRecord)
    implements CborSerializable {

  private static final Pattern CHUNK_TASK_ID = Pattern.compile(".+-chunk-[0-9]+");

  public ChunkRef {
    header = header == null ? List.of() : List.copyOf(header);
  }

  /** The id of chunk {@code index}'s task: derived, so a resumed job finds the same task. */
  public static String taskId(String datasetTaskId, long index) {
    return datasetTaskId + "-chunk-" + index;
  }

  /** Whether {@code taskId} names a chunk task (ids of submitted tasks are UUIDs). */
  public static boolean isChunkTaskId(String taskId) {
    return CHUNK_TASK_ID.matcher(taskId).matches();
  }
}
