package io.agenthive.common;

import java.util.Set;

/**
 * Journal tags. Every event of the hive carries {@link #ALL}, so the read side can follow the whole
 * hive in journal order (the live event feed, projections). With {@code
 * hive.core.journal-tag-count} above 1 an event also carries its entity's slice tag ({@code hive-0}
 * … {@code hive-<count-1>}): the shape Akka's CQRS sample uses to run one projection per slice. An
 * entity's slice depends only on its id, so all its events are in one slice, in order.
 */
public final class HiveTags {
  public static final String ALL = "hive";
  public static final Set<String> ALL_ONLY = Set.of(ALL);

  private HiveTags() {}

  /** The tags of every event of {@code persistenceId} when the journal has {@code count}. */
  public static Set<String> of(String persistenceId, int count) {
    return count <= 1 ? ALL_ONLY : Set.of(ALL, slice(persistenceId, count));
  }

  /** The slice tag of {@code persistenceId} among {@code count}. */
  public static String slice(String persistenceId, int count) {
    return ALL + "-" + Math.floorMod(persistenceId.hashCode(), count);
  }

  /** A tag count from the settings, refused unless at least 1. */
  public static int checkedCount(int count) {
    if (count < 1) {
      throw new IllegalArgumentException(
          "hive.core.journal-tag-count must be at least 1, not " + count);
    }
    return count;
  }
}
