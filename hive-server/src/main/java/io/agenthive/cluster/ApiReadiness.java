package io.agenthive.cluster;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import java.util.concurrent.atomic.AtomicBoolean;

/** Whether this node's API is bound and answering: one flag per actor system. */
public final class ApiReadiness implements Extension {
  private static final ExtensionId<ApiReadiness> ID =
      new ExtensionId<>() {
        @Override
        public ApiReadiness createExtension(ActorSystem<?> system) {
          return new ApiReadiness();
        }
      };
  private final AtomicBoolean serving = new AtomicBoolean();

  public static ApiReadiness get(ActorSystem<?> system) {
    return ID.apply(system);
  }

  public void serving(boolean now) {
    serving.set(now);
  }

  boolean serving() {
    return serving.get();
  }
}
