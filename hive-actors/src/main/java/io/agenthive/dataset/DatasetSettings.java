package io.agenthive.dataset;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/** {@code hive.datasets}: where dataset files live, how they are split, every bound. */
public record DatasetSettings(
    Path workDir,
    List<Path> allowedDirs,
    int chunkBytes,
    int parallelism,
    int maxRecordBytes,
    int readBufferBytes,
    int checkpointEvery,
    Duration awaitChunk,
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
        IO_DISPATCHER);
  }

  public Path uploadDir() {
    return workDir.resolve("uploads");
  }

  public Path resultDir() {
    return workDir.resolve("results");
  }

  private List<Path> readableDirs() {
    List<Path> dirs = new java.util.ArrayList<>(allowedDirs);
    dirs.add(uploadDir());
    return dirs;
  }

  public Path resultFile(String taskId) {
    return resultDir().resolve(taskId + ".ndjson");
  }

  /**
   * Whether the hub may read {@code file}: inside an allowed directory or its own upload directory,
   * after resolving {@code ..} and symbolic links (a link out of the directory is refused). The
   * file must exist.
   */
  public boolean mayRead(Path file) {
    try {
      Path real = file.toRealPath();
      for (Path dir : readableDirs()) {
        if (java.nio.file.Files.isDirectory(dir) && real.startsWith(dir.toRealPath())) {
          return true;
        }
      }
      return false;
    } catch (java.io.IOException e) {
      return false;
    }
  }
}
