package io.agenthive.agent;

import io.agenthive.common.CborSerializable;
import io.agenthive.common.FieldError;
import io.agenthive.common.Validator;
import io.agenthive.skill.SkillRef;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a client asks for when registering an agent. {@code maxConcurrency}: how many tasks it may
 * run at once (null: one).
 */
public record AgentSpec(
    String name, String type, List<Capability> capabilities, SkillRef skill, Integer maxConcurrency)
    implements CborSerializable {

  public static final int MAX_CONCURRENCY_LIMIT = 256;

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9 _-]{1,100}");
  private static final Pattern TYPE =
      Pattern.compile("worker|coordinator|learner|specialist:[a-z0-9][a-z0-9_-]{0,49}");
  private static final Pattern CAPABILITY_NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,63}");

  public AgentSpec {
    capabilities = capabilities == null ? List.of() : List.copyOf(capabilities);
  }

  /** An agent that runs one task at a time. */
  public AgentSpec(String name, String type, List<Capability> capabilities, SkillRef skill) {
    this(name, type, capabilities, skill, null);
  }

  /** How many tasks the agent runs at once. */
  public int concurrency() {
    return maxConcurrency == null ? 1 : maxConcurrency;
  }

  /** Every problem with this spec, each naming its field; empty when the spec is valid. */
  public List<FieldError> validate(Set<String> knownSkills) {
    Validator v = new Validator();
    v.require(
        name != null && NAME.matcher(name).matches(),
        "name",
        "must be 1-100 characters of letters, digits, space, '-' or '_'");
    v.require(
        type != null && TYPE.matcher(type).matches(),
        "type",
        "must be one of worker, coordinator, learner, specialist:<name>");
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < capabilities.size(); i++) {
      Capability c = capabilities.get(i);
      String at = "capabilities[" + i + "]";
      if (c == null) {
        v.require(false, at, "must be an object");
        continue;
      }
      v.require(
          c.name() != null && CAPABILITY_NAME.matcher(c.name()).matches(),
          at + ".name",
          "must be 1-64 lower-case letters, digits, '.', '_' or '-'");
      v.require(c.name() == null || seen.add(c.name()), at + ".name", "is listed twice");
      v.unitInterval(c.proficiency(), at + ".proficiency");
      v.unitInterval(c.learningRate(), at + ".learning_rate");
    }
    v.require(
        maxConcurrency == null || (maxConcurrency >= 1 && maxConcurrency <= MAX_CONCURRENCY_LIMIT),
        "max_concurrency",
        "must be between 1 and " + MAX_CONCURRENCY_LIMIT);
    v.require(
        skill != null && skill.name() != null && knownSkills.contains(skill.name()),
        "skill",
        "must be one of " + knownSkills.stream().sorted().toList());
    return v.errors();
  }
}
