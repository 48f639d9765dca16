package io.agenthive.agent;

import akka.actor.typed.ActorRef;
import akka.pattern.StatusReply;
import io.agenthive.common.CborSerializable;
import io.agenthive.common.LocalOnly;
import io.agenthive.skill.SkillResult;
import io.agenthive.task.AssignmentReason;
import io.agenthive.task.StoredOutput;
import io.agenthive.task.TaskReplies;
import java.util.Map;
import java.util.Set;

/**
 * What an agent entity ({@link AgentActor}) is told, by the hive, the matcher and itself. The
 * public messages are its protocol; the package-private ones it sends itself (runs finished, timed
 * out or crashed, starts and settles answered). Apart from the actor so its file holds behaviour.
 */
public final class AgentProtocol {
  private AgentProtocol() {}

  public sealed interface Command extends CborSerializable
      permits Register,
          ChangeState,
          Execute,
          CancelRun,
          ConfirmRuns,
          RollCall,
          RunFinished,
          StartAnswered,
          RunTimedOut,
          RunCrashed,
          RecordCrash,
          Settled,
          Resettle,
          IdleCheck,
          ReportRuns,
          Recover,
          CircuitOpened {}

  /** {@code by}: the principal's label, journaled with the agent (null: the hub itself). */
  public record Register(AgentSpec spec, String by, ActorRef<StatusReply<AgentView>> replyTo)
      implements Command {
    public Register(AgentSpec spec, ActorRef<StatusReply<AgentView>> replyTo) {
      this(spec, null, replyTo);
    }
  }

  /**
   * Pause, resume, retire, disconnect or reconnect; retire with {@code drain} lets runs end. {@code
   * by}: who asks (null: the hub itself); {@code admin}: they are an admin, who may reconnect a
   * remote agent someone else registered.
   */
  public record ChangeState(
      AgentLifecycle.Transition transition,
      boolean drain,
      String by,
      boolean admin,
      ActorRef<StatusReply<AgentView>> replyTo)
      implements Command {
    public ChangeState(
        AgentLifecycle.Transition transition,
        boolean drain,
        String by,
        ActorRef<StatusReply<AgentView>> replyTo) {
      this(transition, drain, by, false, replyTo);
    }

    public ChangeState(
        AgentLifecycle.Transition transition,
        boolean drain,
        ActorRef<StatusReply<AgentView>> replyTo) {
      this(transition, drain, null, false, replyTo);
    }
  }

  /**
   * Run {@code taskId}, chosen for {@code reason}; {@code proficiencies} are the agent's current
   * ones (as the matcher knows them) for the capabilities the task requires.
   */
  public record Execute(String taskId, AssignmentReason reason, Map<String, Double> proficiencies)
      implements Command {}

  /** The task was cancelled: stop running it. */
  public record CancelRun(String taskId) implements Command {}

  /**
   * The matcher asks which of these tasks the agent still runs (after a rebuild, a lost node, or a
   * hand-over nothing confirmed); {@code question} numbers the question, for the answer to name.
   */
  public record ConfirmRuns(Set<String> taskIds, long question) implements Command {
    public ConfirmRuns(Set<String> taskIds) {
      this(taskIds, 0);
    }
  }

  /**
   * The matcher asks the agent to say it is up (after the matcher started in a cluster, or a node
   * left): until it answers, the matcher prefers agents that did, as it may be moving with its
   * node's shards. The answer goes to {@code replyTo} directly, not through the node's proxy of the
   * matcher singleton, which may not have found the matcher's new home yet.
   */
  public record RollCall(ActorRef<Present> replyTo) implements Command {}

  /** The agent's answer to the roll call. */
  public record Present(String agentId) implements CborSerializable {}

  /** {@code stored}: the output was kept in the blob store ({@code result}'s output is unused). */
  record RunFinished(
      String taskId, int attempt, SkillResult result, long durationMs, StoredOutput stored)
      implements Command, LocalOnly {}

  /** One try's answer ({@link TaskStarts}): the reply, or why none came. */
  record StartAnswered(String taskId, TaskReplies.StartReply reply, Throwable error, int tryNumber)
      implements Command, LocalOnly {}

  record RunTimedOut(String taskId, int attempt) implements Command, LocalOnly {}

  record RunCrashed(ActorRef<Void> run, String error) implements Command, LocalOnly {}

  record RecordCrash(String reason) implements Command, LocalOnly {}

  record Settled(String taskId, TaskReplies.Verdict verdict, Throwable error)
      implements Command, LocalOnly {}

  record Resettle(String taskId) implements Command, LocalOnly {}

  enum IdleCheck implements Command, LocalOnly {
    INSTANCE
  }

  /** Its skill's endpoint started failing fast (its circuit opened). */
  enum CircuitOpened implements Command, LocalOnly {
    INSTANCE
  }

  /** A degraded agent's wait is over: it takes work again, the first being a probe. */
  enum Recover implements Command, LocalOnly {
    INSTANCE
  }

  /** Time to tell the matcher what this agent holds (its attempts' leases). */
  enum ReportRuns implements Command, LocalOnly {
    INSTANCE
  }
}
