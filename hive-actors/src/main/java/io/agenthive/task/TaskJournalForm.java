package io.agenthive.task;

import akka.persistence.typed.EventAdapter;
import akka.persistence.typed.EventSeq;

/**
 * One task entity's adapter between its events and the journal: once the task's submission names a
 * subject, each later event of the task is sealed with that subject's key. Replays reach it already
 * opened by the journal's own adapter ({@link UnsealingAdapter}); a journal without that adapter
 * (the tests' in-memory one) hands it the sealed form, which it opens itself.
 */
public final class TaskJournalForm extends EventAdapter<TaskEvent, Object> {
  private final TaskSealing sealing;
  private String subject;

  public TaskJournalForm(TaskSealing sealing) {
    this.sealing = sealing;
  }

  @Override
  public Object toJournal(TaskEvent e) {
    learn(e);
    return subject == null ? e : sealing.seal(e, subject);
  }

  @Override
  public String manifest(TaskEvent event) {
    return "";
  }

  @Override
  public EventSeq<TaskEvent> fromJournal(Object p, String manifest) {
    TaskEvent e = p instanceof SealedTaskEvent s ? sealing.open(s) : (TaskEvent) p;
    learn(e);
    return EventSeq.single(e);
  }

  private void learn(TaskEvent e) {
    if (e instanceof TaskEvent.TaskSubmitted s) {
      subject = s.spec().subject();
    }
  }
}
