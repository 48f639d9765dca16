package io.agenthive.skill;

import akka.actor.typed.ActorSystem;
import com.fasterxml.jackson.databind.JsonNode;
import io.agenthive.common.FieldError;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The plug-in point for skills, found with {@link java.util.ServiceLoader}: a jar on the class path
 * that lists its factory in {@code META-INF/services/io.agenthive.skill.SkillFactory} adds a skill
 * by name. {@link #create} is called by the agent actor when it first needs the skill.
 */
public interface SkillFactory {
  String name();

  Skill create(SkillContext context);

  /**
   * Problems with an agent's config for this skill, checked at registration, before anything is
   * journaled; each names its field relative to the config (e.g. {@code "url"}).
   */
  default List<FieldError> validateConfig(JsonNode config) {
    return List.of();
  }

  /**
   * The same, for skills whose config holds values the hub's rules bound: sizes ({@code
   * hive.limits}), where requests may go and which secrets may be read ({@code hive.skills}).
   */
  default List<FieldError> validateConfig(JsonNode config, SkillRules rules) {
    return validateConfig(config);
  }

  /**
   * The part of the registration check that needs I/O (fetching a remote agent's card), run after
   * {@link #validateConfig} found nothing, before anything is journaled. It must end within a few
   * seconds and never fail: problems are field errors of the result. Default: nothing to check.
   */
  default CompletionStage<SkillCheck> checkRemote(
      JsonNode config, SkillRules rules, ActorSystem<?> system) {
    return CompletableFuture.completedFuture(SkillCheck.FINE);
  }
}
