package io.agenthive.skill;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.agenthive.common.CborSerializable;

/** The skill an agent runs its tasks with: a registered name and that skill's own config. */
public record SkillRef(String name, JsonNode config) implements CborSerializable {

  public static SkillRef named(String name) {
    return new SkillRef(name, JsonNodeFactory.instance.objectNode());
  }
}
