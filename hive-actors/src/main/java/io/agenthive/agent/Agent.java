package io.agenthive.agent;

import io.agenthive.common.CborSerializable;
import io.agenthive.skill.SkillRef;
import io.agenthive.task.AgentOutcome;
import io.agenthive.task.LearningChange;
import io.agenthive.task.TaskStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * An agent's durable state. Its own events give its registration, settled state (idle, paused,
 * failed, retired, disconnected) and crashes; its stats and learned proficiencies come from the
 * outcomes of the attempts it ran, journaled with the tasks ({@link #withOutcome}). "Working" is
 * not journaled but derived from runs in progress. A null {@code name}: never registered.
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
    List<Instant> recentCrashes,
    int maxConcurrency,
    String registeredBy)
    implements CborSerializable {

  @com.fasterxml.jackson.annotation.JsonCreator
  public Agent {
    // snapshots taken before agents had a concurrency hold none: they ran one task at a time
    maxConcurrency = Math.max(1, maxConcurrency);
  }

  /**
   * Without who registered it: what the read tables know (they do not keep it; the agent's own
   * entity does, from its journal).
   */
  public Agent(
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
      List<Instant> recentCrashes,
      int maxConcurrency) {
    this(
        id,
        name,
        type,
        skill,
        capabilities,
        state,
        completed,
        failed,
        totalDurationMs,
        tokensUsed,
        createdAt,
        lastActiveAt,
        recentCrashes,
        maxConcurrency,
        null);
  }

  public static Agent empty(String id) {
    return new Agent(
        id, null, null, null, List.of(), AgentState.IDLE, 0, 0, 0, 0, null, null, List.of(), 1);
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
      return new Agent(
          id,
          s.name(),
          s.type(),
          s.skill(),
          s.capabilities(),
          AgentState.IDLE,
          0,
          0,
          0,
          0,
          e.at(),
          e.at(),
          List.of(),
          s.concurrency(),
          e.by());
    } else if (event instanceof AgentEvent.TaskOutcomeRecorded e) {
      return withStats(
          e.success() ? 1 : 0, e.success() ? 0 : 1, e.durationMs(), e.tokens(), e.at());
    } else if (event instanceof AgentEvent.CapabilityProficiencyChanged e) {
      return withProficiency(e.capability(), e.to());
    } else if (event instanceof AgentEvent.AgentStateChanged e) {
      // leaving "failed" starts a fresh crash count, or the next crash would fail it again
      List<Instant> crashes = e.from() == AgentState.FAILED ? List.of() : recentCrashes;
      return new Agent(
          id,
          name,
          type,
          skill,
          capabilities,
          e.to(),
          completed,
          failed,
          totalDurationMs,
          tokensUsed,
          createdAt,
          e.at(),
          crashes,
          maxConcurrency,
          registeredBy);
    } else if (event instanceof AgentEvent.AgentUnreadable e) {
      return !registered()
          ? this
          : new Agent(
              id,
              name,
              type,
              skill,
              capabilities,
              AgentState.FAILED,
              completed,
              failed,
              totalDurationMs,
              tokensUsed,
              createdAt,
              e.at(),
              recentCrashes,
              maxConcurrency,
              registeredBy);
    } else if (event instanceof AgentEvent.AgentCrashed e) {
      List<Instant> crashes = new ArrayList<>(recentCrashes);
      crashes.add(e.at());
      while (crashes.size() > crashMemory) {
        crashes.remove(0);
      }
      return new Agent(
          id,
          name,
          type,
          skill,
          capabilities,
          state,
          completed,
          failed,
          totalDurationMs,
          tokensUsed,
          createdAt,
          lastActiveAt,
          List.copyOf(crashes),
          maxConcurrency,
          registeredBy);
    }
    throw new IllegalStateException("unknown event " + event);
  }

  /** The same agent in another settled state (its record otherwise unchanged). */
  public Agent withState(AgentState next, Instant at) {
    return new Agent(
        id,
        name,
        type,
        skill,
        capabilities,
        next,
        completed,
        failed,
        totalDurationMs,
        tokensUsed,
        createdAt,
        at == null ? lastActiveAt : at,
        recentCrashes,
        maxConcurrency,
        registeredBy);
  }

  /**
   * The one rule for an agent after a task event that carries the outcome of an attempt it ran: the
   * attempt succeeded if and only if it left the task completed. The matcher, the read side's
   * projection and replay all fold outcomes through here, so their stats cannot disagree. An
   * attempt that left its task blocked handed its work to subtasks: it adds its time and tokens,
   * and is neither a completed nor a failed attempt.
   */
  public Agent afterAttempt(AgentOutcome outcome, TaskStatus taskAfter, Instant at) {
    if (taskAfter == TaskStatus.BLOCKED) {
      return withStats(0, 0, outcome.durationMs(), outcome.tokens(), at);
    }
    return withOutcome(outcome, taskAfter == TaskStatus.COMPLETED, at);
  }

  /**
   * This agent with {@code other}'s record of attempts: its stats and the proficiencies it learned
   * (a capability only this agent has keeps its own). The rest (state, times, crashes) stays this
   * agent's: reconciliation's mend of a record the matcher counted differently from the journal.
   */
  public Agent withRecordOf(Agent other) {
    Map<String, Double> learned = other.proficiencies();
    return new Agent(
        id,
        name,
        type,
        skill,
        capabilitiesWith(
            c -> learned.containsKey(c.name()) ? c.withProficiency(learned.get(c.name())) : c),
        state,
        other.completed,
        other.failed,
        other.totalDurationMs,
        other.tokensUsed,
        createdAt,
        lastActiveAt,
        recentCrashes,
        maxConcurrency,
        registeredBy);
  }

  /** One attempt this agent ran ended at {@code at}: its stats and what it learned. */
  private Agent withOutcome(AgentOutcome outcome, boolean success, Instant at) {
    Agent next =
        withStats(success ? 1 : 0, success ? 0 : 1, outcome.durationMs(), outcome.tokens(), at);
    for (LearningChange change : outcome.learning()) {
      double now = next.proficiencies().getOrDefault(change.capability(), change.from());
      next = next.withProficiency(change.capability(), Learning.apply(now, change));
    }
    return next;
  }

  private Agent withStats(
      int completedMore, int failedMore, long durationMs, long tokens, Instant at) {
    return new Agent(
        id,
        name,
        type,
        skill,
        capabilities,
        state,
        completed + completedMore,
        failed + failedMore,
        totalDurationMs + durationMs,
        tokensUsed + tokens,
        createdAt,
        at,
        recentCrashes,
        maxConcurrency,
        registeredBy);
  }

  /** This agent's capabilities, each passed through {@code change}. */
  private List<Capability> capabilitiesWith(UnaryOperator<Capability> change) {
    return capabilities.stream().map(change).toList();
  }

  private Agent withProficiency(String capability, double value) {
    return new Agent(
        id,
        name,
        type,
        skill,
        capabilitiesWith(c -> c.name().equals(capability) ? c.withProficiency(value) : c),
        state,
        completed,
        failed,
        totalDurationMs,
        tokensUsed,
        createdAt,
        lastActiveAt,
        recentCrashes,
        maxConcurrency,
        registeredBy);
  }
}
