package io.agenthive.task;

import akka.actor.ExtendedActorSystem;
import akka.actor.typed.javadsl.Adapter;
import akka.persistence.journal.EventAdapter;
import akka.persistence.journal.EventSeq;

/**
 * The journal plugin's adapter for {@link SealedTaskEvent}: every read of the journal (replays and
 * the read journal's queries alike) gets the event opened, or erased. Writes pass through: sealing
 * is the task entity's ({@link TaskJournalForm}), which knows the task's subject.
 */
public final class UnsealingAdapter implements EventAdapter {
  private final ExtendedActorSystem system;

  /** Made with the journal plugin: the key store is looked up at the first sealed event only. */
  public UnsealingAdapter(ExtendedActorSystem system) {
    this.system = system;
  }

  @Override
  public String manifest(Object event) {
    return "";
  }

  @Override
  public Object toJournal(Object event) {
    return event;
  }

  @Override
  public EventSeq fromJournal(Object event, String manifest) {
    return EventSeq.single(
        event instanceof SealedTaskEvent s
            ? TaskSealing.get(Adapter.toTyped(system)).open(s)
            : event);
  }
}
