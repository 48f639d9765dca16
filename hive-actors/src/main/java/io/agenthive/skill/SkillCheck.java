package io.agenthive.skill;

import io.agenthive.common.FieldError;
import java.util.List;

/**
 * What a skill's registration check that needs I/O found ({@link SkillFactory#checkRemote}): field
 * errors (each naming its field relative to the config), and capability names the skill offers an
 * agent that declares none (a remote agent's advertised skills, say).
 */
public record SkillCheck(List<FieldError> errors, List<String> offeredCapabilities) {
  public static final SkillCheck FINE = new SkillCheck(List.of(), List.of());

  public SkillCheck {
    errors = List.copyOf(errors);
    offeredCapabilities = List.copyOf(offeredCapabilities);
  }

  public static SkillCheck failed(String field, String message) {
    return new SkillCheck(List.of(new FieldError(field, message)), List.of());
  }
}
