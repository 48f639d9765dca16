package io.agenthive.skill;

import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;

/** The skills on the class path, by name. Loaded once per hive. */
public final class SkillRegistry {
  private final Map<String, SkillFactory> factories;

  private SkillRegistry(Map<String, SkillFactory> factories) {
    this.factories = Map.copyOf(factories);
  }

  public static SkillRegistry load() {
    Map<String, SkillFactory> found = new TreeMap<>();
    for (SkillFactory factory : ServiceLoader.load(SkillFactory.class)) {
      SkillFactory previous = found.putIfAbsent(factory.name(), factory);
      if (previous != null && previous.getClass() != factory.getClass()) {
        throw new IllegalStateException(
            "two skills named '"
                + factory.name()
                + "': "
                + previous.getClass().getName()
                + " and "
                + factory.getClass().getName());
      }
    }
    return new SkillRegistry(found);
  }

  public Set<String> names() {
    return factories.keySet();
  }

  public Optional<SkillFactory> find(String name) {
    return Optional.ofNullable(factories.get(name));
  }
}
