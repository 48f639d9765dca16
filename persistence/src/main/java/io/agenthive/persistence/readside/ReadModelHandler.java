package io.agenthive.persistence.readside;

import akka.persistence.query.Sequence;
import akka.projection.ProjectionId;
import akka.projection.eventsourced.EventEnvelope;
import akka.projection.jdbc.javadsl.JdbcHandler;
import io.agenthive.subject.SubjectEvent;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The read side's one projection handler: a batch of the journal's events folded onto the task and
 * agent rows ({@link ReadModelFold}) and written in the transaction that also stores the
 * projection's offset, so each event counts exactly once. One projection for both tables, because
 * the agents' stats and learning come from the tasks' outcomes.
 */
final class ReadModelHandler extends JdbcHandler<List<EventEnvelope<Object>>, PooledJdbcSession> {
  private final DataSource pool;
  private final String offsetTable;
  private final ProjectionId id;
  private final ListedTaskJson listed;

  ReadModelHandler(DataSource pool, String offsetTable, ProjectionId id, ListedTaskJson listed) {
    this.pool = pool;
    this.offsetTable = offsetTable;
    this.id = id;
    this.listed = listed;
  }

  /**
   * Runs in the one projection instance of the cluster before its first batch: only here may tables
   * without an offset be emptied, never by a node that merely starts while another node's
   * projection is writing them.
   */
  @Override
  public void start() {
    ReadTables.emptyWithoutOffset(pool, offsetTable, id);
  }

  @Override
  public void process(PooledJdbcSession session, List<EventEnvelope<Object>> envelopes)
      throws Exception {
    List<ReadModelFold.Journaled> events = new ArrayList<>(envelopes.size());
    for (EventEnvelope<Object> e : envelopes) {
      events.add(
          new ReadModelFold.Journaled(
              e.persistenceId(),
              e.sequenceNr(),
              e.offset() instanceof Sequence s ? s.value() : 0L,
              e.event()));
    }
    session.withConnection(
        c -> {
          ReadModelFold.Folded f = ReadModelFold.fold(ReadModelFold.tables(c), events);
          TaskRows.insert(c, f.newTasks(), listed);
          TaskRows.update(c, f.changedTasks(), listed);
          AgentRows.insert(c, f.newAgents());
          AgentRows.update(c, f.changedAgents(), f.learned());
          TaskCounts.add(c, f.statusDelta());
          // an erasure met in this batch: the rows folded above may hold payloads opened before it
          for (EventEnvelope<Object> e : envelopes) {
            if (e.event() instanceof SubjectEvent.SubjectErased erased) {
              SubjectRows.scrub(c, erased.subject(), listed);
            }
          }
          return null;
        });
  }
}
