package io.agenthive.common;

import akka.actor.typed.ActorSystem;

/**
 * A part a module above names in config by class (the persistence module's database stores): made
 * with the actor system, so the module below needs no dependency on it.
 */
public final class ConfiguredClass {
  private ConfiguredClass() {}

  /**
   * An instance of {@code className}, the value of setting {@code setting}, made with {@code
   * system}.
   */
  public static <T> T make(ActorSystem<?> system, String setting, String className, Class<T> type) {
    try {
      return type.cast(
          Class.forName(className).getConstructor(ActorSystem.class).newInstance(system));
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(
          setting + " names " + className + ", which cannot be made: " + e, e);
    }
  }
}
