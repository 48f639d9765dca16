package io.agenthive.matcher;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import akka.pattern.StatusReply;
import io.agenthive.agent.Agent;
import io.agenthive.agent.AgentView;
import io.agenthive.agent.MatcherLink;
import io.agenthive.task.TaskQueue;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * The matcher as task entities ({@link TaskQueue}) and agents ({@link MatcherLink}) see it: each
 * call one message to the matcher singleton; only admission waits for an answer.
 */
public final class MatcherPorts implements TaskQueue, MatcherLink {
  private final ActorRef<TaskMatcher.Command> matcher;
  private final ActorSystem<?> system;
  private final Duration timeout;

  public MatcherPorts(
      ActorRef<TaskMatcher.Command> matcher, ActorSystem<?> system, Duration timeout) {
    this.matcher = matcher;
    this.system = system;
    this.timeout = timeout;
  }

  @Override
  public CompletionStage<Admission> admit(QueuedTask task) {
    return AskPattern.ask(
        matcher, replyTo -> new TaskMatcher.Admit(task, replyTo), timeout, system.scheduler());
  }

  @Override
  public void changed(TaskChange change) {
    matcher.tell(new TaskMatcher.TaskChanged(change));
  }

  @Override
  public void joined(Agent agent, ActorRef<StatusReply<AgentView>> replyTo) {
    matcher.tell(new TaskMatcher.AgentJoined(agent, replyTo));
  }

  @Override
  public void changed(Agent agent, ActorRef<StatusReply<AgentView>> replyTo) {
    matcher.tell(new TaskMatcher.AgentChanged(agent, replyTo));
  }

  @Override
  public void slotFreed(String agentId, String taskId, SlotRelease how) {
    matcher.tell(new TaskMatcher.SlotFreed(agentId, taskId, how));
  }

  @Override
  public void restarted(String agentId) {
    matcher.tell(new TaskMatcher.AgentRestarted(agentId));
  }

  @Override
  public void runsConfirmed(String agentId, Set<String> running) {
    matcher.tell(new TaskMatcher.RunsConfirmed(agentId, running));
  }
}
