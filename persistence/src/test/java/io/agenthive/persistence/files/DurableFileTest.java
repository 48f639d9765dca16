package io.agenthive.persistence.files;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurableFileTest {
  @TempDir Path dir;

  @Test
  void aWholeWriteReplacesTheOlderFileAndLeavesNoPartOfItBehind() throws Exception {
    Path target = dir.resolve("backup.ndjson");
    Files.writeString(target, "older");
    int written =
        DurableFile.write(
            target,
            out -> {
              out.write("newer".getBytes(StandardCharsets.UTF_8));
              return 5;
            });
    assertEquals(5, written);
    assertEquals("newer", Files.readString(target));
    assertFalse(Files.exists(dir.resolve("backup.ndjson.partial")));
  }

  @Test
  void aWriteThatFailsHalfWayKeepsTheOlderFileAndRemovesItsPart() throws Exception {
    Path target = dir.resolve("backup.ndjson");
    Files.writeString(target, "older");
    IOException thrown =
        assertThrows(
            IOException.class,
            () ->
                DurableFile.write(
                    target,
                    out -> {
                      out.write("half of it".getBytes(StandardCharsets.UTF_8));
                      throw new IOException("the database went away");
                    }));
    assertEquals("the database went away", thrown.getMessage());
    assertEquals("older", Files.readString(target));
    assertFalse(Files.exists(dir.resolve("backup.ndjson.partial")));
  }
}
