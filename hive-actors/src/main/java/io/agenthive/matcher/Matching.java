package io.agenthive.matcher;

import io.agenthive.agent.Agent;
import io.agenthive.agent.MatcherLink.SlotRelease;
import io.agenthive.budget.Hold;
import io.agenthive.routing.RoutingPolicy;
import io.agenthive.task.AssignmentReason;
import io.agenthive.task.RequiredCapability;
import io.agenthive.task.TaskQueue;
import io.agenthive.task.TaskStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * The matcher's state and rules, without the actor: agents and their free slots (an {@link
 * AgentRoster}), the waiting tasks, the tasks handed out. Every change records what the actor must
 * do ({@link #drain}). Nothing here is journaled: task events are the truth, and {@link #rebuild}
 * restores it all.
 *
 * <p>Invariant after {@link #dispatch}: no ready task has a free agent that qualifies for it. It
 * assigns like {@link RoutingPolicy#assign}: tasks by effective priority (aging applied), FIFO
 * within a priority; each to its best qualifying free agent.
 */
final class Matching {
  /** What the actor must do about a change. */
  sealed interface Action {}

  record Dispatch(
      String agentId, String taskId, AssignmentReason reason, Map<String, Double> proficiencies)
      implements Action {}

  record SettleLost(String taskId, String agentId, String why) implements Action {}

  record CancelRun(String agentId, String taskId) implements Action {}

  record ConfirmRuns(String agentId, Set<String> taskIds) implements Action {}

  /**
   * A task handed to an agent and not yet back in the queue or ended; {@code heard}: when the agent
   * last said it holds it (or when it was handed out), which its lease counts from.
   */
  record Out(PendingTasks.Entry entry, String agentId, Instant heard) {}

  private final RoutingPolicy policy;
  private final int queueBound;
  private final StatusCounters counters = new StatusCounters();
  private final AgentRoster roster;
  private final Map<String, AgentProfile> agents;
  private final FreeAgents free;
  private final PendingTasks pending = new PendingTasks();
  private final SpreadGroups spread = new SpreadGroups();
  private final Map<String, Out> out = new HashMap<>();
  private final EndedRuns endedRuns = new EndedRuns();
  // tasks whose attempt was reported lost to their entity, until it says where they stand
  private final Map<String, PendingTasks.Entry> settling = new HashMap<>();
  private final List<Action> actions = new ArrayList<>();
  private final LostRuns lostRuns;
  private final Leases leases;
  private final Reconciliation reconciliation;
  private final AgentRollCall rollCall = new AgentRollCall();
  private long nextSequence;
  private Map<String, Integer> waiting = Map.of();
  private Instant waitingAt;

  Matching(Duration agingStep, int shownCandidates, int queueBound) {
    this.policy = new RoutingPolicy(agingStep, shownCandidates);
    this.roster = new AgentRoster(shownCandidates, counters);
    this.agents = roster.byId();
    this.free = roster.free();
    this.queueBound = queueBound;
    this.lostRuns = new LostRuns(agents, out, settling, pending, actions, roster::update);
    this.leases = new Leases(agents, out, lostRuns, roster::update);
    this.reconciliation = new Reconciliation(this, agents, out, settling, pending, counters);
  }

  /** What happens to runs that may have ended without a word (restarts, a node that left). */
  LostRuns lostRuns() {
    return lostRuns;
  }

  /** Which agents answered since the matcher started or a node left (preferred meanwhile). */
  AgentRollCall rollCall() {
    return rollCall;
  }

  /** Opens a roll call of the agents active within {@code recent}: the ids to ask. */
  List<String> openRollCall(Duration recent, Instant now) {
    return rollCall.open(agents.values(), recent, now);
  }

  /** Where the matcher's picture is compared with the journal's and mended. */
  Reconciliation reconciliation() {
    return reconciliation;
  }

  /** The actions recorded since the last call, oldest first. */
  List<Action> drain() {
    List<Action> copy = List.copyOf(actions);
    actions.clear();
    return copy;
  }

  // ---- tasks ----

  /** A place in the queue for a new or retried task, unless the queue is at its bound. */
  TaskQueue.Admission admit(TaskQueue.QueuedTask task, Instant now) {
    if (pending.contains(task.taskId()) || out.containsKey(task.taskId())) {
      return new TaskQueue.Admitted();
    }
    if (pending.size() >= queueBound) {
      return new TaskQueue.QueueFull(queueBound);
    }
    pending.add(entry(task, null), now);
    return new TaskQueue.Admitted();
  }

  /** A status change a task entity journaled. */
  void changed(TaskQueue.TaskChange c, Instant now) {
    counters.taskMoved(c.taskId(), c.from(), c.to(), c.agentId() != null, c.at());
    if (c.agentOutcome() != null) {
      learned(c.agentOutcome().agentId(), c);
    }
    switch (c.to()) {
      case PENDING -> {
        if (c.from() == TaskStatus.RUNNING || c.from() == TaskStatus.ASSIGNED) {
          requeue(c, now);
        } else if (!pending.contains(c.taskId())
            && !out.containsKey(c.taskId())
            && c.queued() != null) {
          pending.add(entry(c.queued(), null), now); // admitted by an earlier incarnation
        }
      }
      case RUNNING, ASSIGNED -> started(c, now);
      default -> {
        // ended, or waiting for something other than an agent (blocked, scheduled, a person, a
        // signal): no place in the queue, no agent
        pending.remove(c.taskId());
        settling.remove(c.taskId());
        Out o = out.remove(c.taskId());
        AgentProfile p = o == null ? null : agents.get(o.agentId());
        if (c.to() == TaskStatus.CANCELLED && p != null && p.running().contains(c.taskId())) {
          actions.add(new CancelRun(o.agentId(), c.taskId()));
        }
      }
    }
    if (c.to() != TaskStatus.RUNNING && c.to() != TaskStatus.ASSIGNED) {
      roster.freeSlot(endedRuns.outcomeArrived(c.taskId()), c.taskId()); // now with what it learned
    }
  }

  private void requeue(TaskQueue.TaskChange c, Instant now) {
    Out o = out.remove(c.taskId());
    PendingTasks.Entry e = o != null ? o.entry() : pending.remove(c.taskId());
    PendingTasks.Entry wasSettling = settling.remove(c.taskId());
    e = e != null ? e : wasSettling;
    if (e == null) {
      if (c.queued() == null) {
        return;
      }
      e = entry(c.queued(), null);
    } else if (c.queued() != null) {
      // the next attempt's escalation rung, and the agents the task's journal says failed it
      e = e.withRequirements(c.queued().requirements());
      c.queued().failedOn().forEach(e::failedOn);
    }
    e.notBefore = c.retryAt();
    pending.add(e, now);
  }

  private void started(TaskQueue.TaskChange c, Instant now) {
    if (c.agentId() == null) {
      return; // a dataset task: its job runs it, not an agent
    }
    PendingTasks.Entry e = pending.remove(c.taskId());
    if (e == null) {
      e = settling.remove(c.taskId());
    }
    Out o = out.get(c.taskId());
    if (e == null && o == null) {
      return; // ended meanwhile, or never queued here (a restart rebuilt it as running)
    }
    out.put(c.taskId(), new Out(o != null ? o.entry() : e, c.agentId(), now));
    lostRuns.heardOf(c.taskId(), c.agentId());
  }

  private void learned(String agentId, TaskQueue.TaskChange c) {
    AgentProfile p = agents.get(agentId);
    if (p != null) {
      roster.update(p, () -> p.replace(p.agent().afterAttempt(c.agentOutcome(), c.to(), c.at())));
    }
  }

  /** A new place in FIFO order, for a task the matcher learns of late. */
  long nextSequence() {
    return nextSequence++;
  }

  /** Applies a change to an agent's profile (reconciliation's way in). */
  void updateAgent(AgentProfile p, Runnable change) {
    roster.update(p, change);
  }

  /** What the actor must do next (reconciliation's way to ask an agent). */
  void act(Action action) {
    actions.add(action);
  }

  private PendingTasks.Entry entry(TaskQueue.QueuedTask t, Instant notBefore) {
    return PendingTasks.Entry.of(t, nextSequence++, notBefore);
  }

  /** The budgets' holds now: held agents take nothing new, held tasks wait parked. */
  void budgetHolds(List<Hold> holds) {
    HeldScopes held = HeldScopes.of(holds);
    roster.hold(held.agents());
    pending.hold(held.workflows(), held.principals());
  }

  // ---- agents ----

  void joined(Agent agent) {
    roster.joined(agent);
  }

  /** The agent's settled state changed; its stats and proficiencies stay the matcher's. */
  void changedAgent(Agent fromJournal) {
    roster.changed(fromJournal);
  }

  AgentProfile agent(String agentId) {
    return agents.get(agentId);
  }

  void slotFreed(String agentId, String taskId, SlotRelease how, Instant now) {
    Out o = out.get(taskId);
    if (how == SlotRelease.RAN
        && o != null
        && o.agentId().equals(agentId)
        && EndedRuns.canLearn(agents.get(agentId), o.entry().requirements)) {
      endedRuns.ended(taskId, agentId, now); // freed when the outcome arrives: see EndedRuns
      return;
    }
    roster.freeSlot(agentId, taskId);
    if (o == null || !o.agentId().equals(agentId)) {
      return; // a word about a hand-over that no longer stands (the task went on, or elsewhere)
    }
    switch (how) {
      case RAN, CANCELLED -> {}
      case REFUSED -> out.remove(taskId);
      case DECLINED -> backToQueue(taskId, now);
      case NO_ANSWER -> lostRuns.lost(taskId, agentId, "the agent's start got no answer");
    }
  }

  /** Frees the slots of runs whose outcome did not come in time; true if any was. */
  boolean freeOverdueSlots(Instant now) {
    var overdue = endedRuns.overdue(now);
    overdue.forEach(e -> roster.freeSlot(e.getValue(), e.getKey()));
    return !overdue.isEmpty();
  }

  /** The agent says it holds {@code taskIds} now: see {@link Leases#held}. */
  List<String> held(String agentId, Set<String> taskIds, Instant now) {
    return leases.held(agentId, taskIds, now);
  }

  /** Tasks whose agent has not said it holds them for {@code lease}: see {@link Leases#expire}. */
  List<Out> expireLeases(Instant now, Duration lease) {
    return leases.expire(now, lease);
  }

  private boolean backToQueue(String taskId, Instant now) {
    Out o = out.remove(taskId);
    if (o == null) {
      return false;
    }
    pending.add(o.entry(), now);
    return true;
  }

  // ---- matching ----

  /** Assigns ready tasks to free agents until no ready task has a qualifying free agent. */
  void dispatch(Instant now) {
    pending.releaseDue(now);
    Comparator<PendingTasks.TaskClass> urgentFirst =
        Comparator.comparingInt(
                (PendingTasks.TaskClass c) ->
                    -policy.effectiveRank(c.priority, c.head().queuedAt, now))
            .thenComparingLong(c -> c.head().sequence);
    PriorityQueue<PendingTasks.TaskClass> heads = new PriorityQueue<>(urgentFirst);
    heads.addAll(pending.readyClasses());
    while (!heads.isEmpty() && free.size() > 0) {
      PendingTasks.TaskClass c = heads.poll();
      PendingTasks.Entry head = c.head();
      // a retry prefers agents it has not failed on, but takes one it has rather than wait: so
      // "some free agent qualifies" still decides alone, and the class-head rule holds
      FreeAgents.Choice choice = rollCall.choose(free, spread, c.requirements, head, now);
      if (choice == null) {
        continue; // nobody free qualifies for this class; the rest of it waits too
      }
      pending.remove(head.taskId);
      spread.assigned(head, choice.agent().id());
      assign(head, choice, now);
      if (!c.ready.isEmpty()) {
        heads.add(c);
      }
    }
  }

  private void assign(PendingTasks.Entry task, FreeAgents.Choice choice, Instant now) {
    AgentProfile p = choice.agent();
    // an earlier attempt's run that ended without its outcome ever arriving: its slot is free now
    roster.freeSlot(endedRuns.outcomeArrived(task.taskId), task.taskId);
    out.put(task.taskId, new Out(task, p.id(), now));
    lostRuns.handedOver(task.taskId, p.id(), now);
    roster.update(p, () -> p.tookTask(task.taskId, now.toEpochMilli()));
    Map<String, Double> relevant = new HashMap<>();
    for (RequiredCapability rc : task.requirements) {
      Double v = p.proficiencies().get(rc.name());
      if (v != null) {
        relevant.put(rc.name(), v);
      }
    }
    List<AssignmentReason.Skipped> degradedOnes = roster.degraded().skippedFor(task.requirements);
    AssignmentReason reason = choice.reason();
    if (!degradedOnes.isEmpty()) {
      // a retry's choice may already name agents passed by for failing it: both are kept
      List<AssignmentReason.Skipped> skipped = new ArrayList<>(reason.skipped());
      skipped.addAll(degradedOnes);
      int shown = Math.min(skipped.size(), AssignmentReason.MAX_SKIPPED);
      reason = reason.withSkipped(skipped.subList(0, shown));
    }
    actions.add(new Dispatch(p.id(), task.taskId, reason, relevant));
  }

  /** When a waiting retry is next due (null: none waits). */
  Instant nextRetryDue() {
    return pending.nextDue();
  }

  HiveCounts counts(Instant now) {
    if (waitingAt == null || !now.isBefore(waitingAt.plusSeconds(1))) {
      // a pass over every waiting task: at most once a second, however often counts are read
      waiting = WaitingReasons.count(pending, agents.values());
      waitingAt = now;
    }
    return counters.snapshot(
        pending.depthByPriority(), out.size() + settling.size(), free.size(), waiting, now);
  }

  /** Why waiting task {@code taskId} waits, or null when it is not waiting here. */
  String whyWaiting(String taskId) {
    PendingTasks.Entry e = pending.get(taskId);
    return e == null ? null : new WaitingReasons(agents.values()).of(e, pending.placeOf(e));
  }

  // ---- rebuild ----

  /**
   * Restores the state from the journal's view: agents, waiting tasks, tasks running (whose agents
   * are asked to confirm them), counts. Call on a fresh instance.
   */
  void rebuild(Backlog.Snapshot snapshot, Instant now) {
    counters.seedTasks(snapshot.taskCounts(), Backlog.datasetJobs(snapshot));
    snapshot.agents().forEach(this::joined);
    Map<String, Set<String>> toConfirm = new HashMap<>();
    List<Backlog.OpenTask> open = new ArrayList<>(snapshot.openTasks());
    open.sort(Comparator.comparingLong(Backlog.OpenTask::sequence));
    for (Backlog.OpenTask t : open) {
      PendingTasks.Entry e = PendingTasks.Entry.of(t, nextSequence++);
      if (t.status() == TaskStatus.PENDING) {
        pending.add(e, now);
      } else if (t.agentId() != null) {
        out.put(t.taskId(), new Out(e, t.agentId(), now));
        AgentProfile p = agents.get(t.agentId());
        if (p != null) {
          roster.update(p, () -> p.running().add(t.taskId()));
        }
        toConfirm.computeIfAbsent(t.agentId(), a -> new LinkedHashSet<>()).add(t.taskId());
      }
    }
    toConfirm.forEach((agentId, tasks) -> actions.add(new ConfirmRuns(agentId, Set.copyOf(tasks))));
  }
}
