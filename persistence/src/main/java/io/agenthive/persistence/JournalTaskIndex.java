package io.agenthive.persistence;

import akka.actor.typed.ActorSystem;
import akka.persistence.jdbc.query.javadsl.JdbcReadJournal;
import akka.persistence.query.PersistenceQuery;
import akka.stream.javadsl.Sink;
import io.agenthive.task.TaskEntity;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Every task id ever submitted, read from the journal's persistence ids. An interim index for
 * task lists: it reads all ids per call, so lists cost O(all tasks) until the read-side
 * projections replace it.
 */
public final class JournalTaskIndex {
  private static final String PREFIX = TaskEntity.TYPE_KEY.name() + "|";
  private final ActorSystem<?> system;
  private final JdbcReadJournal journal;

  public JournalTaskIndex(ActorSystem<?> system) {
    this.system = system;
    this.journal = PersistenceQuery.get(system)
        .getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
  }

  public CompletionStage<List<String>> taskIds() {
    return journal.currentPersistenceIds()
        .filter(id -> id.startsWith(PREFIX))
        .map(id -> id.substring(PREFIX.length()))
        .runWith(Sink.seq(), system);
  }
}
