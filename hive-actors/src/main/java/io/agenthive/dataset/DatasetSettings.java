package io.agenthive.dataset;

import com.typesafe.config.Config;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code hive.datasets}: which server files a dataset may read, how inputs are split, every bound,
 * how long uploads and results are kept. Uploads and results live in the blob store; {@code
 * legacyDir} is where versions before it kept them as files, still read for the tasks they
 * journaled.
 */
public record DatasetSettings(
    Path legacyDir,
    List<Path> allowedDirs,
    int chunkBytes,
    int parallelism,
    int maxRecordBytes,
    int readBufferBytes,
    int checkpointEvery,
    Duration awaitChunk,
    Duration retention,
    String ioDispatcher) {

  public static final String IO_DISPATCHER = "hive.datasets.io-dispatcher";

  public static DatasetSettings from(Config root) {
    Config c = root.getConfig("hive.datasets");
    List<Path> allowed =
        Arrays.stream(c.getString("allowed-dirs").split(","))
            .map(String::trim)
            .filter(s -> !s.isEmpty())
            .map(s -> Path.of(s).toAbsolutePath().normalize())
            .toList();
    return new DatasetSettings(
        Path.of(c.getString("work-dir")).toAbsolutePath().normalize(),
        allowed,
        (int) c.getMemorySize("chunk-size").toBytes(),
        c.getInt("parallelism"),
        (int) c.getMemorySize("max-record-size").toBytes(),
        (int) c.getMemorySize("read-buffer").toBytes(),
        c.getInt("checkpoint-every"),
        c.getDuration("await-chunk"),
        c.getDuration("retention"),
        IO_DISPATCHER);
  }

  /** Where older versions stored uploads: their journaled paths point here. */
  Path legacyUploadDir() {
    return legacyDir.resolve("uploads");
  }

  /** Where older versions wrote a dataset task's result. */
  public Path legacyResultFile(String taskId) {
    return legacyDir.resolve("results").resolve(taskId + ".ndjson");
  }

  /**
   * Whether the hub may read {@code file}: inside an allowed directory or the older versions'
   * upload directory, after resolving {@code ..} and symbolic links (a link out of the directory is
   * refused). The file must exist.
   */
  public boolean mayRead(Path file) {
    List<Path> dirs = new ArrayList<>(allowedDirs);
    dirs.add(legacyUploadDir());
    try {
      Path real = file.toRealPath();
      for (Path dir : dirs) {
        if (Files.isDirectory(dir) && real.startsWith(dir.toRealPath())) {
          return true;
        }
      }
      return false;
    } catch (IOException e) {
      return false;
    }
  }
}
