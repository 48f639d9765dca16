package io.agenthive.agent;

import io.agenthive.common.CborSerializable;
import io.agenthive.skill.SkillRef;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An agent's durable state, rebuilt from its events. {@code state} is the settled state (idle,
 * paused, failed, retired); "working" is not journaled but derived from a run in progress, since
 * a run never survives its agent. A null {@code name} means the agent was never registered.
 */
public record Agent(
    String id,
    String name,
    String type,
    SkillRef skill,
    List<Capability> capabilities,
    AgentState state,
    long completed,
    long failed,
    long totalDurationMs,
    long tokensUsed,
    Instant createdAt,
    Instant lastActiveAt,
    List<Instant> recentCrashes)
    implements CborSerializable {

  public static Agent empty(String id) {
    return new Agent(id, null, null, null, List.of(), AgentState.IDLE, 0, 0, 0, 0, null,
        null, List.of());
  }

  public boolean registered() {
    return name != null;
  }

  public long experienceCount() {
    return completed + failed;
  }

  public Map<String, Double> proficiencies() {
    Map<String, Double> out = new LinkedHashMap<>();
    capabilities.forEach(c -> out.put(c.name(), c.proficiency()));
    return out;
  }

  /** Crashes within {@code window} before {@code now}, this one included when already applied. */
  public int crashesWithin(Duration window, Instant now) {
    return (int) recentCrashes.stream().filter(t -> !t.isBefore(now.minus(window))).count();
  }

  public Agent apply(AgentEvent event, int crashMemory) {
    if (event instanceof AgentEvent.AgentRegistered e) {
      AgentSpec s = e.spec();
      return new Agent(id, s.name(), s.type(), s.skill(), s.capabilities(), AgentState.IDLE, 0, 0,
          0, 0, e.at(), e.at(), List.of());
    } else if (event instanceof AgentEvent.TaskOutcomeRecorded e) {
      return new Agent(id, name, type, skill, capabilities, state,
          completed + (e.success() ? 1 : 0), failed + (e.success() ? 0 : 1),
          totalDurationMs + e.durationMs(), tokensUsed + e.tokens(), createdAt, e.at(),
          recentCrashes);
    } else if (event instanceof AgentEvent.CapabilityProficiencyChanged e) {
      List<Capability> caps = new ArrayList<>(capabilities.size());
      capabilities.forEach(c -> caps.add(c.name().equals(e.capability()) ? c.withProficiency(e.to()) : c));
      return new Agent(id, name, type, skill, List.copyOf(caps), state, completed, failed,
          totalDurationMs, tokensUsed, createdAt, lastActiveAt, recentCrashes);
    } else if (event instanceof AgentEvent.AgentStateChanged e) {
      // leaving "failed" starts a fresh crash count, or the next crash would fail it again
      List<Instant> crashes = e.from() == AgentState.FAILED ? List.of() : recentCrashes;
      return new Agent(id, name, type, skill, capabilities, e.to(), completed, failed,
          totalDurationMs, tokensUsed, createdAt, e.at(), crashes);
    } else if (event instanceof AgentEvent.AgentCrashed e) {
      List<Instant> crashes = new ArrayList<>(recentCrashes);
      crashes.add(e.at());
      while (crashes.size() > crashMemory) {
        crashes.remove(0);
      }
      return new Agent(id, name, type, skill, capabilities, state, completed, failed,
          totalDurationMs, tokensUsed, createdAt, lastActiveAt, List.copyOf(crashes));
    }
    throw new IllegalStateException("unknown event " + event);
  }
}
