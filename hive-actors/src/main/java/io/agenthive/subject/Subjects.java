package io.agenthive.subject;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import io.agenthive.common.ConfiguredClass;

/**
 * This node's {@link SubjectKeys}, made once per actor system from {@code hive.subjects.key-store}:
 * the class name of a store with a constructor taking the {@link ActorSystem} (the persistence
 * module names its database store there), or empty for keys in memory (hubs without a database:
 * tests).
 */
public final class Subjects implements Extension {
  private final SubjectKeys keys;

  private Subjects(ActorSystem<?> system) {
    String className = system.settings().config().getString("hive.subjects.key-store");
    this.keys =
        className.isBlank()
            ? new InMemorySubjectKeys(system)
            : ConfiguredClass.make(system, "hive.subjects.key-store", className, SubjectKeys.class);
  }

  public static SubjectKeys keys(ActorSystem<?> system) {
    return Id.INSTANCE.apply(system).keys;
  }

  private static final class Id extends ExtensionId<Subjects> {
    static final Id INSTANCE = new Id();

    @Override
    public Subjects createExtension(ActorSystem<?> system) {
      return new Subjects(system);
    }
  }
}
