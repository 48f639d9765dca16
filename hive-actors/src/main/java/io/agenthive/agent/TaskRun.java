package io.agenthive.agent;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import io.agenthive.common.LocalOnly;
import io.agenthive.dataset.ChunkRuns;
import io.agenthive.skill.Skill;
import io.agenthive.skill.SkillRequest;
import io.agenthive.skill.SkillResult;
import io.agenthive.task.ChunkRef;

/**
 * One attempt of one task: calls the skill and reports its result to the agent, which then stops
 * this actor. A skill that throws fails this actor (default supervision: stop), and the agent,
 * watching it, fails the attempt; the agent itself is untouched. The timeout is the agent's.
 */
final class TaskRun {
  private TaskRun() {}

  sealed interface Command permits Done {}

  private record Done(SkillResult result, Throwable error) implements Command, LocalOnly {}

  /** {@code chunk}: the run is a dataset chunk's (its bytes are loaded first), or null. */
  static Behavior<Command> create(
      Skill skill, SkillRequest request, ChunkRef chunk, ActorRef<AgentProtocol.Command> agent) {
    return Behaviors.setup(
        ctx -> {
          long started = System.nanoTime();
          ctx.pipeToSelf(
              chunk == null
                  ? skill.execute(request)
                  : ChunkRuns.execute(skill, request, chunk, ctx.getSystem()),
              Done::new);
          return Behaviors.receive(Command.class)
              .onMessage(
                  Done.class,
                  done -> {
                    long ms = (System.nanoTime() - started) / 1_000_000;
                    SkillResult result =
                        done.error() == null
                            ? done.result()
                            : SkillResult.failed("skill failed: " + describe(done.error()));
                    agent.tell(
                        new AgentProtocol.RunFinished(
                            request.taskId(), request.attempt(), result, ms));
                    return Behaviors.same();
                  })
              .build();
        });
  }

  static String describe(Throwable error) {
    Throwable cause =
        error.getCause() != null
                && error.getMessage() != null
                && error.getMessage().startsWith(error.getCause().getClass().getName())
            ? error.getCause()
            : error;
    return cause.getClass().getSimpleName() + ": " + cause.getMessage();
  }
}
