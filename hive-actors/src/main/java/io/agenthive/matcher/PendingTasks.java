package io.agenthive.matcher;

import io.agenthive.task.Priority;
import io.agenthive.task.RequiredCapability;
import io.agenthive.task.TaskQueue;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The tasks waiting for an agent. Ready tasks sit in classes of equal priority and equal
 * requirements, FIFO within a class: the head of a class is its most urgent task, and when no free
 * agent qualifies for the head none qualifies for the rest of the class, so matching looks at class
 * heads only. Tasks waiting for a retry time sit apart until they are due, and so do ready tasks a
 * budget holds back (their workflow's or their submitter's): parked until {@link #hold} lets them
 * go. Both still count as waiting.
 */
final class PendingTasks {
  /** One waiting task. {@code sequence} is its FIFO position; {@code notBefore} its retry time. */
  static final class Entry {
    final String taskId;
    final Priority priority;
    final List<RequiredCapability> requirements;
    final long sequence;
    final Instant queuedAt;
    final String workflowId;
    final String principal;
    Instant notBefore;
    TaskClass taskClass;
    // agents an earlier attempt of this task failed on, which its retry prefers not to go back
    // to; null (not an empty set) for the common case of a first attempt, so it costs nothing
    Set<String> failedOn;
    // tasks it should not share an agent with (a consensus step's voters); null for most
    String spreadGroup;

    Entry(
        String taskId,
        Priority priority,
        List<RequiredCapability> requirements,
        long sequence,
        Instant queuedAt,
        Instant notBefore) {
      this(taskId, priority, requirements, sequence, queuedAt, notBefore, null, null);
    }

    static Entry of(TaskQueue.QueuedTask t, long sequence, Instant notBefore) {
      Entry e =
          new Entry(
              t.taskId(),
              t.priority(),
              t.requirements(),
              sequence,
              t.queuedAt(),
              notBefore,
              t.workflowId(),
              t.principal());
      t.failedOn().forEach(e::failedOn);
      e.spreadGroup = t.spreadGroup();
      return e;
    }

    /**
     * A task a restarting matcher found open in the journal, with the agents its failed attempts
     * ran on. A row from before those were kept names none: a waiting one that names an agent is a
     * retry whose last attempt ran there, so that one at least is avoided (also, harmlessly, for a
     * cancelled task an operator retried: avoiding is a preference, never a wait).
     */
    static Entry of(Backlog.OpenTask t, long sequence) {
      Entry e = plain(t, sequence);
      t.failedOn().forEach(e::failedOn);
      boolean waiting = t.status() == io.agenthive.task.TaskStatus.PENDING;
      if (waiting && t.failedOn().isEmpty() && t.agentId() != null) {
        e.failedOn(t.agentId());
      }
      return e;
    }

    private static Entry plain(Backlog.OpenTask t, long sequence) {
      return new Entry(
          t.taskId(),
          t.priority(),
          t.requirements(),
          sequence,
          t.queuedAt(),
          t.retryAt(),
          t.workflowId(),
          t.principal());
    }

    /** Notes that an attempt of this task failed (or was lost) on {@code agentId}. */
    void failedOn(String agentId) {
      if (failedOn == null) {
        failedOn = new java.util.LinkedHashSet<>(2);
      }
      failedOn.add(agentId);
    }

    /**
     * This entry with the next attempt's requirements (an escalation rung), keeping its place in
     * FIFO order and the agents it failed on; itself when they are unchanged.
     */
    Entry withRequirements(List<RequiredCapability> next) {
      if (next.equals(requirements)) {
        return this;
      }
      Entry e =
          new Entry(taskId, priority, next, sequence, queuedAt, notBefore, workflowId, principal);
      e.failedOn = failedOn;
      e.spreadGroup = spreadGroup;
      return e;
    }

    Entry(
        String taskId,
        Priority priority,
        List<RequiredCapability> requirements,
        long sequence,
        Instant queuedAt,
        Instant notBefore,
        String workflowId,
        String principal) {
      this.workflowId = workflowId;
      this.principal = principal;
      this.taskId = taskId;
      this.priority = priority;
      this.requirements = List.copyOf(requirements);
      this.sequence = sequence;
      this.queuedAt = queuedAt;
      this.notBefore = notBefore;
    }
  }

  /** Ready tasks of one priority and one set of requirements, oldest first. */
  static final class TaskClass {
    final Priority priority;
    final List<RequiredCapability> requirements;
    final TreeMap<Long, Entry> ready = new TreeMap<>();

    TaskClass(Priority priority, List<RequiredCapability> requirements) {
      this.priority = priority;
      this.requirements = requirements;
    }

    Entry head() {
      var first = ready.firstEntry();
      return first == null ? null : first.getValue();
    }
  }

  private record ClassKey(Priority priority, List<RequiredCapability> requirements) {}

  private static final Comparator<Entry> BY_DUE_TIME =
      Comparator.comparing((Entry e) -> e.notBefore).thenComparingLong(e -> e.sequence);

  private final Map<ClassKey, TaskClass> classes = new HashMap<>();
  private final TreeSet<Entry> delayed = new TreeSet<>(BY_DUE_TIME);
  private final Map<String, Entry> byId = new HashMap<>();
  private final Map<String, Entry> parked = new HashMap<>();
  private Set<String> heldWorkflows = Set.of();
  private Set<String> heldPrincipals = Set.of();
  private final Map<Priority, Integer> depth = new EnumMap<>(Priority.class);

  int size() {
    return byId.size();
  }

  boolean contains(String taskId) {
    return byId.containsKey(taskId);
  }

  Entry get(String taskId) {
    return byId.get(taskId);
  }

  /** The ids of every waiting task (a copy). */
  List<String> ids() {
    return List.copyOf(byId.keySet());
  }

  /** Waiting tasks by priority, every priority present. */
  Map<Priority, Integer> depthByPriority() {
    Map<Priority, Integer> out = new EnumMap<>(Priority.class);
    for (Priority p : Priority.values()) {
      out.put(p, depth.getOrDefault(p, 0));
    }
    return out;
  }

  /** Adds the task: ready now, or set apart until {@code notBefore}. */
  void add(Entry e, Instant now) {
    byId.put(e.taskId, e);
    depth.merge(e.priority, 1, Integer::sum);
    if (e.notBefore != null && e.notBefore.isAfter(now)) {
      delayed.add(e);
    } else {
      e.notBefore = null;
      ready(e);
    }
  }

  /** Removes the task wherever it waits; null when it does not. */
  Entry remove(String taskId) {
    Entry e = byId.remove(taskId);
    if (e == null) {
      return null;
    }
    depth.merge(e.priority, -1, Integer::sum);
    if (e.taskClass != null) {
      e.taskClass.ready.remove(e.sequence);
      if (e.taskClass.ready.isEmpty()) {
        classes.remove(new ClassKey(e.priority, e.requirements));
      }
      e.taskClass = null;
    } else if (parked.remove(taskId) == null) {
      delayed.remove(e);
    }
    return e;
  }

  /**
   * Holds back the tasks of these workflows and submitters from now on (parked, not ready), and
   * lets go of those no longer held. Holds change rarely: each change looks at every waiting task.
   */
  void hold(Set<String> workflows, Set<String> principals) {
    heldWorkflows = Set.copyOf(workflows);
    heldPrincipals = Set.copyOf(principals);
    for (Entry e : new ArrayList<>(parked.values())) {
      if (!held(e)) {
        parked.remove(e.taskId);
        ready(e);
      }
    }
    if (heldWorkflows.isEmpty() && heldPrincipals.isEmpty()) {
      return;
    }
    for (TaskClass c : readyClasses()) {
      for (Entry e : new ArrayList<>(c.ready.values())) {
        if (held(e)) {
          remove(e.taskId);
          byId.put(e.taskId, e);
          depth.merge(e.priority, 1, Integer::sum);
          parked.put(e.taskId, e);
        }
      }
    }
  }

  /** How many waiting tasks a budget holds back. */
  /** Where one waiting task waits: delayed (a retry time), parked (a budget), or ready. */
  enum Place {
    DELAYED,
    PARKED,
    READY
  }

  Place placeOf(Entry e) {
    return parked.containsKey(e.taskId)
        ? Place.PARKED
        : e.taskClass == null ? Place.DELAYED : Place.READY;
  }

  /** Every waiting task (a copy). */
  List<Entry> entries() {
    return List.copyOf(byId.values());
  }

  int parkedCount() {
    return parked.size();
  }

  private boolean held(Entry e) {
    return e.workflowId != null && heldWorkflows.contains(e.workflowId)
        || e.principal != null && heldPrincipals.contains(e.principal);
  }

  /** Moves tasks whose retry time has come to the ready classes. */
  void releaseDue(Instant now) {
    while (!delayed.isEmpty() && !delayed.first().notBefore.isAfter(now)) {
      Entry e = delayed.pollFirst();
      e.notBefore = null;
      ready(e);
    }
  }

  /** When the next waiting retry is due; null when none waits. */
  Instant nextDue() {
    return delayed.isEmpty() ? null : delayed.first().notBefore;
  }

  /** Classes with ready tasks. */
  Collection<TaskClass> readyClasses() {
    return new ArrayList<>(classes.values());
  }

  private void ready(Entry e) {
    if ((!heldWorkflows.isEmpty() || !heldPrincipals.isEmpty()) && held(e)) {
      parked.put(e.taskId, e);
      return;
    }
    ClassKey key = new ClassKey(e.priority, e.requirements);
    TaskClass c = classes.computeIfAbsent(key, k -> new TaskClass(k.priority(), k.requirements()));
    c.ready.put(e.sequence, e);
    e.taskClass = c;
  }
}
