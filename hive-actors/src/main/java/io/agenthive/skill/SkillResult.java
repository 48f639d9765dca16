package io.agenthive.skill;

import com.fasterxml.jackson.databind.JsonNode;
import io.agenthive.common.CborSerializable;

/** What a skill produced. A failed result is retried by the task's policy, like an exception. */
public record SkillResult(boolean success, JsonNode output, String error, Double qualityScore)
    implements CborSerializable {

  public static SkillResult succeeded(JsonNode output, Double qualityScore) {
    return new SkillResult(true, output, null, qualityScore);
  }

  public static SkillResult failed(String error) {
    return new SkillResult(false, null, error, null);
  }
}
