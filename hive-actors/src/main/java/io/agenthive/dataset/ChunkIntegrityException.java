package io.agenthive.dataset;

import io.agenthive.task.ChunkRef;

/**
 * The bytes read for a chunk do not have the digest recorded when the input was split: the file
 * changed or was corrupted in between. Retrying cannot fix that, so the chunk fails at once and is
 * reported as {@code checksum_mismatch}.
 */
public final class ChunkIntegrityException extends Exception {
  /** How a chunk task's error names this failure; the dataset job types it by this prefix. */
  public static final String PREFIX = "checksum mismatch: ";

  public ChunkIntegrityException(ChunkRef chunk, String actual) {
    super(
        PREFIX
            + "chunk "
            + chunk.index()
            + " (bytes "
            + chunk.offset()
            + ".."
            + (chunk.offset() + chunk.length())
            + ") should have SHA-256 "
            + chunk.sha256()
            + " but has "
            + actual);
  }
}
