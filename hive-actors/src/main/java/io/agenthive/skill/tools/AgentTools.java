package io.agenthive.skill.tools;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The node's {@link HiveToolbox}: installed by the HTTP module when it serves the API (the tools
 * are clients of that API), {@link HiveToolbox#NONE} until then.
 */
public final class AgentTools implements Extension {
  private final AtomicReference<HiveToolbox> toolbox = new AtomicReference<>(HiveToolbox.NONE);

  private AgentTools() {}

  public static AgentTools get(ActorSystem<?> system) {
    return Id.INSTANCE.apply(system);
  }

  public void install(HiveToolbox served) {
    toolbox.set(served);
  }

  public HiveToolbox toolbox() {
    return toolbox.get();
  }

  private static final class Id extends ExtensionId<AgentTools> {
    static final Id INSTANCE = new Id();

    @Override
    public AgentTools createExtension(ActorSystem<?> system) {
      return new AgentTools();
    }
  }
}
