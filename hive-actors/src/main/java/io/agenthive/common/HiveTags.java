package io.agenthive.common;

import java.util.Set;

/**
 * Journal tags. Every event of the hive carries {@link #ALL}, so the read side can follow the whole
 * hive in journal order (the live event feed, projections).
 */
public final class HiveTags {
  public static final String ALL = "hive";
  public static final Set<String> ALL_ONLY = Set.of(ALL);

  private HiveTags() {}
}
