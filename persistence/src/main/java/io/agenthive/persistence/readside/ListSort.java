package io.agenthive.persistence.readside;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The columns a list may be sorted on, by the name a caller gives ({@code sort=priority}), each
 * with the SQL expression that orders it: a priority and a status in their meaning's order, not
 * alphabetically. Creation order breaks ties. Only these constants reach SQL.
 */
public final class ListSort {
  /** Sorts for {@code GET /api/tasks}; {@code created} (null key) is creation order. */
  public static final Map<String, String> TASKS;

  /** Sorts for {@code GET /api/agents}. */
  public static final Map<String, String> AGENTS;

  static {
    Map<String, String> tasks = new LinkedHashMap<>();
    tasks.put("created", null);
    tasks.put(
        "priority",
        "CASE priority WHEN 'critical' THEN 3 WHEN 'high' THEN 2 WHEN 'medium' THEN 1 ELSE 0 END");
    tasks.put(
        "status",
        // waiting for something else first, then the queue, the agents, the ends
        "CASE status WHEN 'scheduled' THEN 0 WHEN 'blocked' THEN 1"
            + " WHEN 'waiting_for_approval' THEN 2 WHEN 'waiting' THEN 3 WHEN 'pending' THEN 4"
            + " WHEN 'assigned' THEN 5 WHEN 'running' THEN 6 WHEN 'completed' THEN 7"
            + " WHEN 'failed' THEN 8 WHEN 'rejected' THEN 9 WHEN 'expired' THEN 10 ELSE 11 END");
    tasks.put("title", "COALESCE(title_search, '')");
    tasks.put("attempts", "attempts");
    // by the agent's name, as the list shows it (the inner query reads the row being compared)
    tasks.put(
        "agent",
        "COALESCE((SELECT LOWER(a.name) FROM hive_agent_view a"
            + " WHERE a.agent_id = hive_task_view.agent_id), '')");
    TASKS = Collections.unmodifiableMap(tasks);
    Map<String, String> agents = new LinkedHashMap<>();
    agents.put("created", null);
    agents.put("name", "LOWER(name)");
    agents.put("state", "state");
    agents.put("completed", "tasks_completed");
    agents.put("failed", "tasks_failed");
    AGENTS = Collections.unmodifiableMap(agents);
  }

  private ListSort() {}
}
