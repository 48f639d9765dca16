package io.agenthive.skill.tools;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The node's {@link HiveToolbox}: installed by the HTTP module when it serves the API (the tools
 * are clients of that API), {@link HiveToolbox#NONE} until then. A node starts its agents, and the
 * matcher hands them the tasks a restart found waiting, before its API is bound: a run that starts
 * then waits for the toolbox ({@link #served}) rather than be told its tools do not exist.
 */
public final class AgentTools implements Extension {
  private final AtomicReference<HiveToolbox> toolbox = new AtomicReference<>(HiveToolbox.NONE);
  private final CompletableFuture<HiveToolbox> installed = new CompletableFuture<>();

  AgentTools() {}

  public static AgentTools get(ActorSystem<?> system) {
    return Id.INSTANCE.apply(system);
  }

  public void install(HiveToolbox served) {
    toolbox.set(served);
    installed.complete(served);
  }

  /**
   * The toolbox once the API serves it, or {@link HiveToolbox#NONE} if that takes longer than
   * {@code within} (a node that serves no API).
   */
  public CompletionStage<HiveToolbox> served(Duration within) {
    HiveToolbox now = toolbox.get();
    if (now != HiveToolbox.NONE) {
      return CompletableFuture.completedFuture(now);
    }
    // a copy: the timeout completes this caller's view only, never the shared future
    return installed
        .copy()
        .completeOnTimeout(HiveToolbox.NONE, within.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static final class Id extends ExtensionId<AgentTools> {
    static final Id INSTANCE = new Id();

    @Override
    public AgentTools createExtension(ActorSystem<?> system) {
      return new AgentTools();
    }
  }
}
