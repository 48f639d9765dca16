package io.agenthive.task;

import io.agenthive.common.CborSerializable;
import io.agenthive.common.FieldError;
import io.agenthive.common.Validator;
import java.util.List;
import java.util.Locale;

/**
 * What makes a task a dataset task: its input, how to split it, and how many chunks may be out with
 * agents at once. The input is an upload, stored whole in the blob store before the task is
 * submitted ({@code path} {@code blob:<id>}, readable from every node), or a file on the server (an
 * absolute path; also what versions before the blob store journaled for uploads, which are still
 * read from their files). Null {@code chunkBytes}/{@code parallelism} take the configured defaults
 * ({@link #withDefaults}).
 */
public record DatasetSpec(
    String path,
    Format format,
    Integer chunkBytes,
    Integer parallelism,
    boolean failOnMalformed,
    boolean uploaded)
    implements CborSerializable {

  /** How an uploaded input's path names its blob. */
  public static final String BLOB_PREFIX = "blob:";

  public static final int MIN_CHUNK_BYTES = 1024;
  public static final int MAX_CHUNK_BYTES = 64 * 1024 * 1024;
  public static final int MAX_PARALLELISM = 256;

  /** How the input is split: whole records (one per line, CSV rows under a header) or bytes. */
  public enum Format {
    NDJSON,
    CSV,
    BYTES;

    public boolean byRecords() {
      return this != BYTES;
    }

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** Null when {@code name} is not a format. */
    public static Format parse(String name) {
      for (Format f : values()) {
        if (f.label().equals(name)) {
          return f;
        }
      }
      return null;
    }
  }

  /** Fills the chunk size and parallelism the submission left out with the configured ones. */
  public DatasetSpec withDefaults(int defaultChunkBytes, int defaultParallelism) {
    return new DatasetSpec(
        path,
        format,
        chunkBytes == null ? defaultChunkBytes : chunkBytes,
        parallelism == null ? defaultParallelism : parallelism,
        failOnMalformed,
        uploaded);
  }

  /** The path of an input stored as blob {@code blobId}. */
  public static String blobPath(String blobId) {
    return BLOB_PREFIX + blobId;
  }

  /** The blob {@code path} names, or null when it is a file on the server. */
  public static String blobIdOf(String path) {
    return path != null && path.startsWith(BLOB_PREFIX)
        ? path.substring(BLOB_PREFIX.length())
        : null;
  }

  public DatasetSpec withPath(String newPath) {
    return new DatasetSpec(newPath, format, chunkBytes, parallelism, failOnMalformed, uploaded);
  }

  /** Problems with the fields, each named under {@code prefix} ("dataset."). */
  public List<FieldError> validate(String prefix) {
    Validator v = new Validator();
    v.require(path != null && !path.isBlank(), prefix + "path", "is required");
    v.require(format != null, prefix + "format", "must be one of ndjson, csv, bytes");
    v.require(
        chunkBytes == null || (chunkBytes >= MIN_CHUNK_BYTES && chunkBytes <= MAX_CHUNK_BYTES),
        prefix + "chunk_bytes",
        "must be between " + MIN_CHUNK_BYTES + " and " + MAX_CHUNK_BYTES);
    v.require(
        parallelism == null || (parallelism >= 1 && parallelism <= MAX_PARALLELISM),
        prefix + "parallelism",
        "must be between 1 and " + MAX_PARALLELISM);
    return v.errors();
  }
}
