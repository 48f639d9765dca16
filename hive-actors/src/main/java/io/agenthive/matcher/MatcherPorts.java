package io.agenthive.matcher;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import akka.pattern.StatusReply;
import io.agenthive.agent.Agent;
import io.agenthive.agent.AgentView;
import io.agenthive.agent.MatcherLink;
import io.agenthive.common.AskTries;
import io.agenthive.task.TaskQueue;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * The matcher as task entities ({@link TaskQueue}) and agents ({@link MatcherLink}) see it: each
 * call one message to the matcher singleton; only admission waits for an answer.
 */
public final class MatcherPorts implements TaskQueue, MatcherLink {
  private final ActorRef<MatcherProtocol.Command> matcher;
  private final ActorSystem<?> system;
  private final Duration timeout;

  public MatcherPorts(
      ActorRef<MatcherProtocol.Command> matcher, ActorSystem<?> system, Duration timeout) {
    this.matcher = matcher;
    this.system = system;
    this.timeout = timeout;
  }

  /**
   * Admission is asked in {@link #ADMIT_TRIES} shorter tries within the one timeout. The
   * singleton's proxy sends to the node it last knew: an ask sent in the second or two before it
   * learns that node is gone is lost (seen in {@code bench failover}: the probe's first two
   * submissions each waited the whole 5 s, and it was accepted 10.2 s after the kill, 4 s after the
   * new matcher was ready). A lost try now costs a fifth of that. A repeat is harmless: the matcher
   * answers "admitted" for a task it already queued or handed out, without counting it again.
   */
  static final int ADMIT_TRIES = 5;

  @Override
  public CompletionStage<Admission> admit(QueuedTask task) {
    return AskTries.within(
        timeout,
        ADMIT_TRIES,
        each ->
            AskPattern.ask(
                matcher,
                replyTo -> new MatcherProtocol.Admit(task, replyTo),
                each,
                system.scheduler()),
        system);
  }

  @Override
  public void changed(TaskChange change) {
    matcher.tell(new MatcherProtocol.TaskChanged(change));
  }

  @Override
  public void joined(Agent agent, ActorRef<StatusReply<AgentView>> replyTo) {
    matcher.tell(new MatcherProtocol.AgentJoined(agent, replyTo));
  }

  @Override
  public void changed(Agent agent, ActorRef<StatusReply<AgentView>> replyTo) {
    matcher.tell(new MatcherProtocol.AgentChanged(agent, replyTo));
  }

  @Override
  public void slotFreed(String agentId, String taskId, SlotRelease how) {
    matcher.tell(new MatcherProtocol.SlotFreed(agentId, taskId, how));
  }

  @Override
  public void restarted(String agentId) {
    matcher.tell(new MatcherProtocol.AgentRestarted(agentId));
  }

  @Override
  public void runsHeld(String agentId, Set<String> taskIds) {
    matcher.tell(new MatcherProtocol.RunsHeld(agentId, taskIds));
  }

  @Override
  public void runsConfirmed(String agentId, long question, Set<String> running) {
    matcher.tell(new MatcherProtocol.RunsConfirmed(agentId, question, running));
  }
}
