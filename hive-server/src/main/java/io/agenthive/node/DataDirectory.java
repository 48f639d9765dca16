package io.agenthive.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

/**
 * The node's data directory (the embedded database, the admin and signing keys, files older
 * versions kept) is its owner's alone: made 0700 at every start, and what is in it 0600 (0700 for
 * directories), since H2 creates its files with the process's umask (0644 on most systems) and the
 * journal holds people's prompts and outputs. Files made later are safe inside the 0700 directory.
 * Nothing happens on a file system without POSIX permissions.
 */
public final class DataDirectory {
  private DataDirectory() {}

  public static void secure(Path dir) throws IOException {
    Files.createDirectories(dir);
    if (!dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.toList()) {
        if (Files.isSymbolicLink(p)) {
          continue; // not ours to change
        }
        Files.setPosixFilePermissions(
            p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwx------" : "rw-------"));
      }
    }
  }
}
