package io.agenthive.persistence.readside;

import akka.persistence.query.Sequence;
import akka.projection.eventsourced.EventEnvelope;
import akka.projection.jdbc.javadsl.JdbcHandler;
import io.agenthive.agent.AgentEvent;
import io.agenthive.task.TaskEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The read side's one projection handler: a batch of the journal's events, grouped by entity in
 * journal order, written to the task and agent tables in the transaction that also stores the
 * projection's offset. One projection for both tables because both read the same tag: two would
 * read and deserialize every event twice.
 */
final class ReadModelHandler
    extends JdbcHandler<List<EventEnvelope<Object>>, PooledJdbcSession> {

  @Override
  public void process(PooledJdbcSession session, List<EventEnvelope<Object>> envelopes)
      throws Exception {
    Map<String, List<EventEnvelope<Object>>> tasks = new LinkedHashMap<>();
    Map<String, List<EventEnvelope<Object>>> agents = new LinkedHashMap<>();
    for (EventEnvelope<Object> e : envelopes) {
      if (e.event() instanceof TaskEvent) {
        tasks.computeIfAbsent(entityId(e.persistenceId()), k -> new ArrayList<>()).add(e);
      } else if (e.event() instanceof AgentEvent) {
        agents.computeIfAbsent(entityId(e.persistenceId()), k -> new ArrayList<>()).add(e);
      }
    }
    session.withConnection(c -> {
      for (var task : tasks.entrySet()) {
        TaskViewUpdates.apply(c, task.getKey(), task.getValue());
      }
      for (var agent : agents.entrySet()) {
        AgentViewUpdates.apply(c, agent.getKey(), agent.getValue());
      }
      return null;
    });
  }

  /** {@code Task|<id>} → {@code <id>}. */
  private static String entityId(String persistenceId) {
    return persistenceId.substring(persistenceId.indexOf('|') + 1);
  }

  static long offsetOf(EventEnvelope<Object> e) {
    return e.offset() instanceof Sequence s ? s.value() : 0L;
  }
}
