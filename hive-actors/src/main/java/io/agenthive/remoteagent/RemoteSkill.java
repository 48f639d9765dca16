package io.agenthive.remoteagent;

import akka.actor.typed.ActorSystem;
import io.agenthive.live.LiveText;
import io.agenthive.skill.Skill;
import io.agenthive.skill.SkillContext;
import io.agenthive.skill.SkillFactory;
import io.agenthive.skill.SkillRequest;
import io.agenthive.skill.SkillResult;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The skill of an agent that lives in a remote worker process: each attempt goes to the worker
 * through the agent's {@link WorkerLink} and ends with the worker's answer (or the link's verdict:
 * deadline passed, worker gone). Agents get it by registering over {@code /ws/worker}.
 */
public final class RemoteSkill implements Skill {
  public static final String NAME = "remote";
  private final ActorSystem<?> system;
  private final String agentId;

  RemoteSkill(SkillContext context) {
    this.system = context.system();
    this.agentId = context.agentId();
  }

  @Override
  public CompletionStage<SkillResult> execute(SkillRequest request) {
    return execute(request, new CompletableFuture<>(), LiveText.NONE);
  }

  /** The worker's {@code partial} frames go to {@code live} through the link. */
  @Override
  public CompletionStage<SkillResult> execute(
      SkillRequest request, CompletionStage<Void> abandoned, LiveText live) {
    // the agent's own timer ends the attempt at the deadline; the ask only must not outlive it
    Duration wait = Duration.between(Instant.now(), request.deadline()).plusSeconds(5);
    return RemoteWorkers.link(system, agentId)
        .ask(replyTo -> new WorkerLink.Run(request, replyTo, live.run()), wait);
  }

  public static final class Factory implements SkillFactory {
    @Override
    public String name() {
      return NAME;
    }

    @Override
    public Skill create(SkillContext context) {
      return new RemoteSkill(context);
    }
  }
}
