package io.agenthive.agent;

import static org.junit.jupiter.api.Assertions.*;

import io.agenthive.task.LearningChange;
import io.agenthive.task.RequiredCapability;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LearningTest {
  @Test
  void successAddsATenthOfTheLearningRateAndFailureTakesAHalfOfThat() {
    assertEquals(0.51, Learning.next(0.5, 0.1, true), 1e-12);
    assertEquals(0.495, Learning.next(0.5, 0.1, false), 1e-12);
    assertEquals(0.6, Learning.next(0.5, 1.0, true), 1e-12);
  }

  @Test
  void proficiencyIsClampedToTheUnitInterval() {
    assertEquals(1.0, Learning.next(0.99, 1.0, true), 1e-12);
    assertEquals(0.0, Learning.next(0.01, 1.0, false), 1e-12);
  }

  @Test
  void onlyRequiredCapabilitiesTheAgentHasChangeAndBoundsProduceNoEvent() {
    List<Capability> caps =
        List.of(
            new Capability("a", 0.5, 0.1),
            new Capability("b", 1.0, 0.1),
            new Capability("c", 0.5, 0.1));
    List<RequiredCapability> reqs =
        List.of(
            new RequiredCapability("a", 0),
            new RequiredCapability("b", 0),
            new RequiredCapability("missing", 0));
    assertEquals(
        List.of(new LearningChange("a", 0.5, 0.51)), Learning.changes(caps, Map.of(), reqs, true));
  }

  @Test
  void learningStartsFromTheProficiencyTheAgentHasNowNotTheRegisteredOne() {
    List<Capability> caps = List.of(new Capability("a", 0.5, 0.1));
    List<RequiredCapability> reqs = List.of(new RequiredCapability("a", 0));
    assertEquals(
        List.of(new LearningChange("a", 0.7, 0.695)),
        Learning.changes(caps, Map.of("a", 0.7), reqs, false));
  }

  @Test
  void aJournaledChangeIsReplayedAsItsDifferenceClamped() {
    LearningChange change = new LearningChange("a", 0.5, 0.51);
    assertEquals(0.81, Learning.apply(0.8, change), 1e-12);
    assertEquals(1.0, Learning.apply(0.995, change), 1e-12);
  }
}
