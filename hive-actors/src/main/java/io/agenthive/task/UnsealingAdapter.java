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
  private final TaskSealing sealing;

  public UnsealingAdapter(ExtendedActorSystem system) {
    this.sealing = TaskSealing.get(Adapter.toTyped(system));
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
    return EventSeq.single(event instanceof SealedTaskEvent s ? sealing.open(s) : event);
  }
}
