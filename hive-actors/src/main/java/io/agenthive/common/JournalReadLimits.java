package io.agenthive.common;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;

/**
 * Widens the read constraints of Akka's Jackson mappers (the journal's and the cluster's): Jackson
 * refuses strings over 20,000,000 characters by default, and an event holding one (an earlier
 * version journaled a 25 MB answer as an output) could never be read back, which stopped its entity
 * and every reader of the journal for good. What the hub wrote is its own data, already in memory
 * when it is parsed, so strings and names are unbounded here; nesting is bounded at twice the
 * deepest {@link HiveLimits#maxJsonDepth} a config may set, since parsing recurses. Registered for
 * every binding through {@code akka.serialization.jackson.jackson-modules}.
 */
public final class JournalReadLimits extends SimpleModule {
  static final StreamReadConstraints CONSTRAINTS =
      StreamReadConstraints.builder()
          .maxStringLength(Integer.MAX_VALUE)
          .maxNameLength(Integer.MAX_VALUE)
          .maxNestingDepth(2 * HiveLimits.DEPTH_CEILING)
          .maxNumberLength(10_000)
          .build();

  public JournalReadLimits() {
    super("hive-journal-read-limits");
  }

  @Override
  public void setupModule(SetupContext context) {
    super.setupModule(context);
    if (context.getOwner() instanceof ObjectMapper mapper) {
      mapper.getFactory().setStreamReadConstraints(CONSTRAINTS);
    }
  }
}
