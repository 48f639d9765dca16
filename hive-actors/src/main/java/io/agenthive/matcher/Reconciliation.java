package io.agenthive.matcher;

import io.agenthive.agent.Agent;
import io.agenthive.task.TaskStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compares the matcher's picture with the journal's (a {@link Backlog.Snapshot}: the read tables
 * plus the journal after their offset) and mends what a lost message left wrong: a pending task the
 * matcher does not hold is queued, one it holds that has ended is dropped, a running attempt it
 * does not know is adopted and its agent asked to confirm it, an agent it does not know joins, an
 * agent whose attempts it counted differently takes the journal's record (stats and learned
 * proficiencies), and the counts by status are taken from the journal when nothing moved while it
 * was read.
 *
 * <p>An agent's record can differ after the matcher moved or restarted: see {@link AgentRecords}.
 *
 * <p>The snapshot is read while messages keep arriving, so it may be older than what the matcher
 * heard since the read began: anything {@code touched} since then is left alone this round (the
 * message is newer than the snapshot), and the next round looks again. A wrong repair costs a retry
 * at worst: the task entity starts only a pending task.
 */
final class Reconciliation {
  /** One mend, for the log and {@code hive_tasks_reconciled_total{kind}}. */
  record Repair(String kind, String id) {}

  private final Matching matching;
  private final Map<String, AgentProfile> agents;
  private final Map<String, Matching.Out> out;
  private final Map<String, PendingTasks.Entry> settling;
  private final PendingTasks pending;
  private final StatusCounters counters;
  private final AgentRecords records = new AgentRecords();

  Reconciliation(
      Matching matching,
      Map<String, AgentProfile> agents,
      Map<String, Matching.Out> out,
      Map<String, PendingTasks.Entry> settling,
      PendingTasks pending,
      StatusCounters counters) {
    this.matching = matching;
    this.agents = agents;
    this.out = out;
    this.settling = settling;
    this.pending = pending;
    this.counters = counters;
  }

  /**
   * Mends the picture from {@code snapshot}, leaving alone the tasks and agents {@code touched}
   * since it was read; {@code quiet}: no task moved meanwhile, so its counts are current.
   */
  List<Repair> reconcile(
      Backlog.Snapshot snapshot, Set<String> touched, boolean quiet, Instant now) {
    List<Repair> repairs = new ArrayList<>();
    for (Agent a : snapshot.agents()) {
      if (touched.contains(a.id())) {
        continue;
      }
      AgentProfile p = agents.get(a.id());
      if (p == null) {
        matching.joined(a);
        repairs.add(new Repair("agent_joined", a.id()));
      } else if (records.wrong(p.agent(), a)) {
        matching.updateAgent(p, () -> p.replace(p.agent().withRecordOf(a)));
        repairs.add(new Repair("agent_record_corrected", a.id()));
      }
    }
    records.lookDone();
    Set<String> open = new HashSet<>();
    Map<String, Set<String>> confirm = new HashMap<>();
    for (Backlog.OpenTask t : snapshot.openTasks()) {
      open.add(t.taskId());
      if (touched.contains(t.taskId())) {
        continue;
      }
      if (t.status() == TaskStatus.PENDING) {
        if (!pending.contains(t.taskId())
            && !out.containsKey(t.taskId())
            && !settling.containsKey(t.taskId())) {
          pending.add(PendingTasks.Entry.of(t, matching.nextSequence()), now);
          repairs.add(new Repair("pending_requeued", t.taskId()));
        }
      } else if (t.agentId() != null && !runningOn(t.taskId(), t.agentId())) {
        adopt(t, now);
        confirm.computeIfAbsent(t.agentId(), a -> new HashSet<>()).add(t.taskId());
        repairs.add(new Repair("running_adopted", t.taskId()));
      }
    }
    for (String id : pending.ids()) {
      if (!open.contains(id) && !touched.contains(id)) {
        pending.remove(id);
        repairs.add(new Repair("ended_dropped", id));
      }
    }
    confirm.forEach((agent, tasks) -> matching.act(new Matching.ConfirmRuns(agent, tasks)));
    if (quiet
        && (!counters.tasks().equals(complete(snapshot.taskCounts()))
            || !counters.jobs().equals(Backlog.datasetJobs(snapshot)))) {
      counters.seedTasks(complete(snapshot.taskCounts()), Backlog.datasetJobs(snapshot));
      repairs.add(new Repair("counts_corrected", "tasks"));
    }
    return repairs;
  }

  private boolean runningOn(String taskId, String agentId) {
    Matching.Out o = out.get(taskId);
    return o != null && o.agentId().equals(agentId);
  }

  /** The journal says it runs on its agent: out there now, until the agent says otherwise. */
  private void adopt(Backlog.OpenTask t, Instant now) {
    PendingTasks.Entry e = pending.remove(t.taskId());
    if (e == null) {
      e = settling.remove(t.taskId());
    }
    Matching.Out previous = out.remove(t.taskId());
    if (e == null && previous != null) {
      e = previous.entry();
    }
    if (previous != null && !previous.agentId().equals(t.agentId())) {
      // the matcher had it out on another agent: that agent's slot is not taken by it any more
      AgentProfile was = agents.get(previous.agentId());
      if (was != null && was.running().contains(t.taskId())) {
        matching.updateAgent(was, () -> was.running().remove(t.taskId()));
      }
    }
    if (e == null) {
      e = PendingTasks.Entry.of(t, matching.nextSequence());
    }
    out.put(t.taskId(), new Matching.Out(e, t.agentId(), now));
    AgentProfile p = agents.get(t.agentId());
    if (p != null && !p.running().contains(t.taskId())) {
      matching.updateAgent(p, () -> p.running().add(t.taskId()));
    }
  }

  /** Every status, 0 where the journal has none: counts compare whole. */
  private static Map<TaskStatus, Long> complete(Map<TaskStatus, Long> counts) {
    Map<TaskStatus, Long> all = new EnumMap<>(TaskStatus.class);
    for (TaskStatus s : TaskStatus.values()) {
      all.put(s, counts.getOrDefault(s, 0L));
    }
    return all;
  }
}
