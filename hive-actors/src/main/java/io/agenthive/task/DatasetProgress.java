package io.agenthive.task;

import io.agenthive.common.CborSerializable;

/**
 * How far a dataset task got, as of its last checkpoint. Everything before {@code nextOffset}
 * (chunks {@code 0 .. chunksDone-1}) is folded into the result file, whose first {@code
 * resultBytes} bytes are durable; a resumed job truncates the file there and reads on from {@code
 * nextOffset} (skipping the rest of a cut oversized record when {@code nextInOversizedRecord}).
 * {@code bytesTotal} is the input's size (known before reading starts).
 */
public record DatasetProgress(
    long chunksDone,
    long chunksFailed,
    long recordsDone,
    long malformedRecords,
    long bytesDone,
    long bytesTotal,
    long nextOffset,
    long nextLine,
    boolean nextInOversizedRecord,
    long resultBytes)
    implements CborSerializable {

  public static DatasetProgress start(long bytesTotal, long firstOffset, long firstLine) {
    return new DatasetProgress(0, 0, 0, 0, 0, bytesTotal, firstOffset, firstLine, false, 0);
  }
}
