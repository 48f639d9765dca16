package io.agenthive.agent;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agenthive.common.CborSerializable;
import io.agenthive.skill.SkillRef;
import java.time.Instant;

/**
 * An agent's history. Class names are stable: Jackson stores them as manifests, so renaming one
 * needs an Akka Jackson migration.
 */
public sealed interface AgentEvent extends CborSerializable {
  Instant at();

  /** {@code by}: the principal who registered it (null: the hub itself). */
  record AgentRegistered(String agentId, AgentSpec spec, Instant at, String by)
      implements AgentEvent {
    /**
     * For showing (history, the event feed, exports): header values an earlier version let an
     * {@code http} agent's config hold are left out; their names stay.
     */
    public AgentRegistered shown() {
      SkillRef skill = spec.skill();
      if (skill == null || skill.config() == null || !skill.config().has("headers")) {
        return this;
      }
      ObjectNode config = skill.config().deepCopy();
      var headers = config.putObject("headers");
      skill
          .config()
          .path("headers")
          .fieldNames()
          .forEachRemaining(n -> headers.put(n, "(not shown)"));
      AgentSpec hidden =
          new AgentSpec(
              spec.name(),
              spec.type(),
              spec.capabilities(),
              new SkillRef(skill.name(), config),
              spec.maxConcurrency());
      return new AgentRegistered(agentId, hidden, at, by);
    }
  }

  /**
   * Journals written before stats were derived from task outcomes hold one of these per attempt
   * (now the task's outcome event carries it). Read, never written. {@code tokens}: absent, so 0,
   * in the oldest of them.
   */
  record TaskOutcomeRecorded(
      String taskId, int attempt, boolean success, long durationMs, long tokens, Instant at)
      implements AgentEvent {}

  /** Like {@link TaskOutcomeRecorded}: read from older journals, never written. */
  record CapabilityProficiencyChanged(
      String capability, double from, double to, String taskId, Instant at) implements AgentEvent {}

  /** {@code by}: who asked for the change (null: the hub itself, e.g. after crashes). */
  record AgentStateChanged(AgentState from, AgentState to, String reason, Instant at, String by)
      implements AgentEvent {}

  record AgentCrashed(String reason, int crashesInWindow, Instant at) implements AgentEvent {}

  /**
   * Stands in, when the journal is read, for an event of this agent that could not be deserialized:
   * never written. A registered agent is then failed (an operator may resume it); the event is
   * listed in the quarantine ({@code GET /api/admin/quarantine}).
   */
  record AgentUnreadable(long sequenceNr, String reason, Instant at) implements AgentEvent {}
}
