package io.agenthive.hive;

import io.agenthive.agent.AgentSpec;
import io.agenthive.agent.Capability;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Capabilities for an agent registered without any, from what its skill offers (an a2a agent's
 * card: its skills' ids and tags). Each becomes a capability at {@link #PROFICIENCY}, a middling
 * guess the agent's learning then corrects; names are made to fit the capability-name rules and at
 * most {@link #MAX} are taken. An agent that declares capabilities keeps exactly those.
 */
final class SeededCapabilities {
  static final double PROFICIENCY = 0.5;
  static final int MAX = 32;

  private SeededCapabilities() {}

  static AgentSpec apply(AgentSpec spec, List<String> offered) {
    if (!spec.capabilities().isEmpty() || offered.isEmpty()) {
      return spec;
    }
    Set<String> names = new LinkedHashSet<>();
    for (String raw : offered) {
      String name = normalize(raw);
      if (name != null && names.size() < MAX) {
        names.add(name);
      }
    }
    List<Capability> seeded = new ArrayList<>();
    for (String name : names) {
      seeded.add(new Capability(name, PROFICIENCY, Capability.DEFAULT_LEARNING_RATE));
    }
    return new AgentSpec(spec.name(), spec.type(), seeded, spec.skill(), spec.maxConcurrency());
  }

  /** Lower case, anything outside {@code [a-z0-9_.-]} as '-', 64 characters; null when empty. */
  static String normalize(String raw) {
    if (raw == null) {
      return null;
    }
    String name =
        raw.toLowerCase(Locale.ROOT)
            .replaceAll("[^a-z0-9_.-]+", "-")
            .replaceAll("^[^a-z0-9]+", "")
            .replaceAll("-+$", "");
    if (name.length() > 64) {
      name = name.substring(0, 64);
    }
    return name.isEmpty() ? null : name;
  }
}
