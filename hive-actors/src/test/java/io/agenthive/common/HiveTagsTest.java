package io.agenthive.common;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Set;
import org.junit.jupiter.api.Test;

class HiveTagsTest {
  @Test
  void oneTagIsTheWholeHiveAsBefore() {
    assertEquals(Set.of("hive"), HiveTags.of("any-id", 1));
  }

  @Test
  void aboveOneAnEntityKeepsTheHiveTagAndGetsOneStableSlice() {
    Set<String> tags = HiveTags.of("task-42", 4);
    assertTrue(tags.contains("hive"));
    assertEquals(2, tags.size());
    assertEquals(tags, HiveTags.of("task-42", 4), "the same id always lands in the same slice");
    for (int i = 0; i < 100; i++) {
      String slice = HiveTags.slice("id-" + i, 4);
      int n = Integer.parseInt(slice.substring("hive-".length()));
      assertTrue(n >= 0 && n < 4, slice);
    }
  }

  @Test
  void aCountBelowOneIsRefusedWithTheSettingsName() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> HiveTags.checkedCount(0));
    assertTrue(e.getMessage().contains("hive.core.journal-tag-count"), e.getMessage());
  }
}
