package io.agenthive.persistence.files;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * A file that appears whole or not at all, and stays after a power cut once written: its bytes go
 * to {@code <name>.partial}, which is forced to disk, moved over the target in one step, and then
 * the directory is forced too (a rename lives in the directory, and without that it may be undone
 * by a crash even though the file's bytes are safe). A write that fails removes the partial file
 * and leaves any older target as it was.
 */
public final class DurableFile {

  /** What writes the file's bytes; {@code E}: what else than an I/O error it may throw. */
  @FunctionalInterface
  public interface Writer<T, E extends Exception> {
    T write(OutputStream out) throws IOException, E;
  }

  private DurableFile() {}

  public static <T, E extends Exception> T write(Path target, Writer<T, E> writer)
      throws IOException, E {
    Path partial = target.resolveSibling(target.getFileName() + ".partial");
    T written;
    try {
      try (FileChannel file =
          FileChannel.open(
              partial,
              StandardOpenOption.CREATE,
              StandardOpenOption.TRUNCATE_EXISTING,
              StandardOpenOption.WRITE)) {
        OutputStream out = new BufferedOutputStream(Channels.newOutputStream(file), 1 << 16);
        written = writer.write(out);
        out.flush();
        file.force(true);
      }
      Files.move(
          partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (Throwable failed) {
      try {
        Files.deleteIfExists(partial);
      } catch (IOException alsoFailed) {
        failed.addSuppressed(alsoFailed); // the write's own failure is the one to report
      }
      throw failed;
    }
    // the file is in place and whole; if the directory cannot be forced the rename may not
    // survive a power cut, which the caller hears (a retention sweep then keeps its rows and
    // archives them again at its next run)
    forceDirectory(target.toAbsolutePath().getParent());
    return written;
  }

  /** Forces a directory's entries to disk (Linux and macOS allow it; elsewhere it is skipped). */
  private static void forceDirectory(Path dir) throws IOException {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException e) {
      if (System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("win")) {
        return; // Windows cannot open a directory as a channel; its renames are journaled anyway
      }
      throw e;
    }
  }
}
