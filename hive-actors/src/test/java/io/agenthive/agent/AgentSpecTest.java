package io.agenthive.agent;

import static org.junit.jupiter.api.Assertions.*;

import io.agenthive.common.FieldError;
import io.agenthive.skill.SkillRef;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AgentSpecTest {
  static final Set<String> SKILLS = Set.of("noop", "simulated");

  @Test
  void aWellFormedSpecHasNoErrors() {
    AgentSpec spec =
        new AgentSpec(
            "Worker_1 x",
            "specialist:nlp",
            List.of(new Capability("nlp", 0.7, 0.2)),
            SkillRef.named("noop"));
    assertEquals(List.of(), spec.validate(SKILLS));
  }

  @Test
  void everyBadFieldIsNamed() {
    AgentSpec spec =
        new AgentSpec(
            "bad/name",
            "Manager",
            List.of(new Capability("nlp", 1.2, -1), new Capability("nlp", 0.5, 0.1)),
            SkillRef.named("gpt"));
    assertEquals(
        List.of(
            "name",
            "type",
            "capabilities[0].proficiency",
            "capabilities[0].learning_rate",
            "capabilities[1].name",
            "skill"),
        spec.validate(SKILLS).stream().map(FieldError::field).toList());
  }

  @Test
  void namesAreLimitedToOneHundredCharacters() {
    AgentSpec spec = new AgentSpec("a".repeat(101), "worker", List.of(), SkillRef.named("noop"));
    assertEquals("name", spec.validate(SKILLS).get(0).field());
  }
}
