package io.agenthive.skill;

/**
 * The plug-in point for skills, found with {@link java.util.ServiceLoader}: a jar on the class
 * path that lists its factory in {@code META-INF/services/io.agenthive.skill.SkillFactory} adds a
 * skill by name. {@link #create} is called by the agent actor when it first needs the skill.
 */
public interface SkillFactory {
  String name();

  Skill create(SkillContext context);
}
