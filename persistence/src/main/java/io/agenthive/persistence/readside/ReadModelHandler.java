package io.agenthive.persistence.readside;

import akka.persistence.query.Sequence;
import akka.projection.eventsourced.EventEnvelope;
import akka.projection.jdbc.javadsl.JdbcHandler;
import java.util.ArrayList;
import java.util.List;

/**
 * The read side's one projection handler: a batch of the journal's events folded onto the task
 * and agent rows ({@link ReadModelFold}) and written in the transaction that also stores the
 * projection's offset, so each event counts exactly once. One projection for both tables,
 * because the agents' stats and learning come from the tasks' outcomes.
 */
final class ReadModelHandler
    extends JdbcHandler<List<EventEnvelope<Object>>, PooledJdbcSession> {

  @Override
  public void process(PooledJdbcSession session, List<EventEnvelope<Object>> envelopes)
      throws Exception {
    List<ReadModelFold.Journaled> events = new ArrayList<>(envelopes.size());
    for (EventEnvelope<Object> e : envelopes) {
      events.add(new ReadModelFold.Journaled(e.persistenceId(), e.sequenceNr(),
          e.offset() instanceof Sequence s ? s.value() : 0L, e.event()));
    }
    session.withConnection(c -> {
      ReadModelFold.Folded f = ReadModelFold.fold(ReadModelFold.tables(c), events);
      TaskRows.insert(c, f.newTasks());
      TaskRows.update(c, f.changedTasks());
      AgentRows.insert(c, f.newAgents());
      AgentRows.update(c, f.changedAgents(), f.learned());
      TaskCounts.add(c, f.statusDelta());
      return null;
    });
  }
}
