package io.agenthive.common;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.typesafe.config.Config;

/**
 * {@code hive.limits}: one set of bounds on what comes from outside (outputs of skills and workers,
 * task inputs, skill configs, header values, names), read once per actor system and used wherever
 * such data enters. The JSON parsers that read outside data get their {@link StreamReadConstraints}
 * from here; the journal's own reader is wider on every axis ({@link JournalReadLimits}), so
 * whatever was accepted can always be read back.
 */
public record HiveLimits(
    long maxOutputBytes,
    long inlineOutputBytes,
    long maxTaskInputBytes,
    long maxSkillConfigBytes,
    int maxHeaderValueChars,
    int maxNameChars,
    int maxJsonDepth,
    long maxEventBytes) {

  /** The deepest nesting a limit may allow: the journal's reader allows twice this. */
  public static final int DEPTH_CEILING = 1000;

  public HiveLimits {
    if (maxJsonDepth < 8 || maxJsonDepth > DEPTH_CEILING) {
      throw new IllegalArgumentException(
          "hive.limits.max-json-depth must be between 8 and " + DEPTH_CEILING);
    }
    if (inlineOutputBytes > maxOutputBytes) {
      throw new IllegalArgumentException(
          "hive.limits.inline-output must not be larger than hive.limits.max-output");
    }
    if (maxEventBytes < maxTaskInputBytes + inlineOutputBytes + maxSkillConfigBytes) {
      throw new IllegalArgumentException(
          "hive.limits.max-event must hold a task input, an inline output and a skill config");
    }
  }

  public static HiveLimits from(Config root) {
    Config c = root.getConfig("hive.limits");
    return new HiveLimits(
        c.getBytes("max-output"),
        c.getBytes("inline-output"),
        c.getBytes("max-task-input"),
        c.getBytes("max-skill-config"),
        c.getInt("max-header-value"),
        c.getInt("max-name"),
        c.getInt("max-json-depth"),
        c.getBytes("max-event"));
  }

  public static HiveLimits get(ActorSystem<?> system) {
    return Id.INSTANCE.apply(system).limits;
  }

  /** This system's {@link #outsideJsonMapper}, made once (mappers are costly to make). */
  public static ObjectMapper outsideJson(ActorSystem<?> system) {
    return Id.INSTANCE.apply(system).mapper;
  }

  /** What parsers of outside JSON accept: the depth and sizes here. */
  public StreamReadConstraints readConstraints() {
    return StreamReadConstraints.builder()
        .maxNestingDepth(maxJsonDepth)
        .maxStringLength((int) Math.min(Integer.MAX_VALUE, maxOutputBytes))
        .maxNumberLength(1000)
        .build();
  }

  /** A mapper for JSON from outside (an endpoint's answer, a worker's frame). */
  public ObjectMapper outsideJsonMapper() {
    return JsonMapper.builder(
            JsonFactory.builder()
                .streamReadConstraints(readConstraints())
                .streamWriteConstraints(
                    StreamWriteConstraints.builder().maxNestingDepth(maxJsonDepth).build())
                .build())
        .build();
  }

  /** The extension that holds a system's limits, read from its config once. */
  public static final class Holder implements Extension {
    private final HiveLimits limits;
    private final ObjectMapper mapper;

    private Holder(ActorSystem<?> system) {
      this.limits = from(system.settings().config());
      this.mapper = limits.outsideJsonMapper();
    }
  }

  private static final class Id extends ExtensionId<Holder> {
    static final Id INSTANCE = new Id();

    @Override
    public Holder createExtension(ActorSystem<?> system) {
      return new Holder(system);
    }
  }
}
