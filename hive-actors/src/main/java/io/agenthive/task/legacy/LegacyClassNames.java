package io.agenthive.task.legacy;

import akka.serialization.jackson.JacksonMigration;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * Reads events of classes that no longer exist as {@link LegacyEvents}: Akka's Jackson serializer
 * looks this migration up by the old class name (reference.conf lists them) and asks it for the
 * class to read instead. The fields are unchanged.
 */
public final class LegacyClassNames extends JacksonMigration {
  private static final Map<String, Class<?>> RENAMED =
      Map.of(
          "io.agenthive.hive.HiveCoordinator$AgentAdded", LegacyEvents.AgentAdded.class,
          "io.agenthive.board.BoardEvent$TaskQueued", LegacyEvents.TaskQueued.class,
          "io.agenthive.board.BoardEvent$TaskDispatched", LegacyEvents.TaskDispatched.class,
          "io.agenthive.board.BoardEvent$TaskRequeued", LegacyEvents.TaskRequeued.class,
          "io.agenthive.board.BoardEvent$TaskRemoved", LegacyEvents.TaskRemoved.class);

  @Override
  public int currentVersion() {
    return 2;
  }

  @Override
  public String transformClassName(int fromVersion, String className) {
    Class<?> now = RENAMED.get(className);
    return now == null ? className : now.getName();
  }

  @Override
  public JsonNode transform(int fromVersion, JsonNode json) {
    return json;
  }
}
