package io.agenthive.hive;

import static org.junit.jupiter.api.Assertions.*;

import io.agenthive.agent.AgentSpec;
import io.agenthive.agent.Capability;
import io.agenthive.skill.SkillRef;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Capabilities from a remote agent's card fit the capability-name rules, or are left out. */
class SeededCapabilitiesTest {
  static AgentSpec spec(List<Capability> declared) {
    return new AgentSpec("remote", "worker", declared, SkillRef.named("a2a"));
  }

  @Test
  void cardTermsBecomeValidCapabilitiesAtAMiddlingProficiency() {
    AgentSpec seeded =
        SeededCapabilities.apply(
            spec(List.of()), List.of("Summarize Text", "NLP", "nlp", "--", "route/optimizer"));
    assertEquals(
        List.of("summarize-text", "nlp", "route-optimizer"),
        seeded.capabilities().stream().map(Capability::name).toList());
    assertTrue(seeded.capabilities().stream().allMatch(c -> c.proficiency() == 0.5));
    assertEquals(List.of(), seeded.validate(Set.of("a2a")));
  }

  @Test
  void declaredCapabilitiesAreKeptAndTheSeedIsBounded() {
    List<Capability> declared = List.of(new Capability("mine", 0.9, 0.1));
    assertEquals(
        declared, SeededCapabilities.apply(spec(declared), List.of("theirs")).capabilities());
    List<String> many =
        java.util.stream.IntStream.range(0, 100).mapToObj(i -> "skill-" + i).toList();
    assertEquals(
        SeededCapabilities.MAX,
        SeededCapabilities.apply(spec(List.of()), many).capabilities().size());
  }
}
