package io.agenthive.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/** Files only their owner may read: the first admin key and the token signing key. */
final class OwnerOnlyFiles {
  private OwnerOnlyFiles() {}

  /**
   * Creates {@code file} with mode 0600 before anything is written to it (never world-readable, not
   * even for a moment) and writes {@code text}. An existing file is left alone.
   */
  static void write(Path file, String text) throws IOException {
    write(file, text, false);
  }

  /** The same; with {@code replace}, an existing file is replaced. */
  static void write(Path file, String text, boolean replace) throws IOException {
    if (replace) {
      Files.deleteIfExists(file);
    }
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    try {
      if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
        Files.createFile(
            file,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } else {
        Files.createFile(file);
      }
    } catch (FileAlreadyExistsException e) {
      return;
    }
    Files.writeString(
        file, text + "\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
  }
}
