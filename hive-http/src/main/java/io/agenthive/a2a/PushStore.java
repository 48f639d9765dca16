package io.agenthive.a2a;

import io.agenthive.access.Principal;
import io.agenthive.access.Role;
import io.agenthive.mcp.HubApi;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * The push configs of tasks, in memory. Each task's configs are an immutable map, replaced whole
 * inside {@code ConcurrentHashMap.compute}, so the watch's stream threads read a consistent
 * snapshot without a lock. Tasks are counted for the node's cap and, per owner, for the per-caller
 * cap; both are reserved atomically (increment, compare, roll back) inside the same compute, so
 * concurrent requests cannot overshoot. A config belongs to whoever set it: only that caller or an
 * admin sees or deletes it.
 */
final class PushStore {
  /** A config and the credential of whoever set it (a watch of the task may read as them). */
  record Kept(PushConfig config, HubApi.Caller as) {}

  /** A task's configs and the identity of the watch serving them. */
  record Watched(Object watch, Map<String, Kept> configs) {}

  /** A watch to start: a task's first config, or configs left when the last watch ended. */
  record Start(String taskId, Object watch, Kept as) {}

  private final Map<String, Watched> byTask = new ConcurrentHashMap<>();
  private final AtomicInteger tasks = new AtomicInteger();
  private final Map<String, AtomicInteger> tasksByOwner = new ConcurrentHashMap<>();
  private final A2aSettings settings;

  PushStore(A2aSettings settings) {
    this.settings = settings;
  }

  /** A task's place held for a task about to be made, so its creation never fails for room. */
  final class Slot {
    private final String owner;
    private final AtomicBoolean open = new AtomicBoolean(true);

    private Slot(String owner) {
      this.owner = owner;
    }

    /** Gives the place back unless a config took it; safe to call more than once. */
    void release() {
      if (open.compareAndSet(true, false)) {
        tasks.decrementAndGet();
        owned(owner).decrementAndGet();
      }
    }

    private boolean take(String by) {
      return owner.equals(by) && open.compareAndSet(true, false);
    }
  }

  Slot reserveNewTask(String owner) {
    reserveTask();
    try {
      reserveOwner(owner);
    } catch (A2aError e) {
      tasks.decrementAndGet();
      throw e;
    }
    return new Slot(owner);
  }

  /** Keeps {@code config} (replacing the owner's config of that id); a watch to start, or null. */
  Start add(PushConfig config, HubApi.Caller as, Slot slot) {
    Start[] start = {null};
    try {
      byTask.compute(
          config.taskId(),
          (task, now) -> {
            Map<String, Kept> configs = now == null ? Map.of() : now.configs();
            Kept same = configs.get(config.id());
            if (same != null && !same.config().owner().equals(config.owner())) {
              throw A2aError.invalid("id", "is the id of another caller's config of this task");
            }
            if (same == null && configs.size() >= settings.maxPushConfigsPerTask()) {
              throw new A2aError(
                  A2aError.INVALID_PARAMS,
                  "task "
                      + task
                      + " has "
                      + configs.size()
                      + " push notification configs, the most it may have"
                      + " (hive.a2a.max-push-configs-per-task); delete one first",
                  "taskId",
                  200);
            }
            boolean newTask = now == null;
            boolean newOwner = !owners(configs).containsKey(config.owner());
            if (!(newTask && slot != null && slot.take(config.owner()))) {
              reserve(newTask, newOwner ? config.owner() : null);
            }
            Map<String, Kept> next = new LinkedHashMap<>(configs);
            next.put(config.id(), new Kept(config, as));
            Object watch = newTask ? new Object() : now.watch();
            if (newTask) {
              start[0] = new Start(task, watch, next.get(config.id()));
            }
            return new Watched(watch, Collections.unmodifiableMap(next));
          });
    } finally {
      if (slot != null) {
        slot.release(); // a no-op when the config took its place
      }
    }
    return start[0];
  }

  /** All the task's configs now (for sending), whoever set them. */
  Map<String, Kept> configs(String taskId) {
    Watched w = byTask.get(taskId);
    return w == null ? Map.of() : w.configs();
  }

  /** The task's configs {@code caller} may see: their own, or all for an admin. */
  List<PushConfig> visible(String taskId, Principal caller) {
    return configs(taskId).values().stream()
        .map(Kept::config)
        .filter(c -> mayTouch(c, caller))
        .toList();
  }

  boolean delete(String taskId, String id, Principal caller) {
    boolean[] removed = {false};
    byTask.computeIfPresent(
        taskId,
        (t, now) -> {
          Kept kept = now.configs().get(id);
          if (kept == null || !mayTouch(kept.config(), caller)) {
            return now;
          }
          removed[0] = true;
          // an empty map keeps the watch's place until the watch ends
          return new Watched(now.watch(), without(now.configs(), k -> k == kept));
        });
    return removed[0];
  }

  /**
   * The watch {@code watch} ended: drops the configs {@code done} says it served. Configs left (set
   * while it was ending, or of other owners when it failed as its own) get a new watch, whose start
   * this returns; else the task's place is given back.
   */
  Start finished(String taskId, Object watch, Predicate<Kept> done) {
    Start[] start = {null};
    byTask.computeIfPresent(
        taskId,
        (t, now) -> {
          if (now.watch() != watch) {
            return now;
          }
          Map<String, Kept> left = without(now.configs(), done);
          if (left.isEmpty()) {
            tasks.decrementAndGet();
            return null;
          }
          Object next = new Object();
          start[0] = new Start(t, next, left.values().iterator().next());
          return new Watched(next, left);
        });
    return start[0];
  }

  private static boolean mayTouch(PushConfig c, Principal caller) {
    return caller.role().covers(Role.ADMIN) || c.owner().equals(caller.label());
  }

  /** {@code configs} without those {@code drop} names; owners with none left give back a place. */
  private Map<String, Kept> without(Map<String, Kept> configs, Predicate<Kept> drop) {
    Map<String, Kept> left = new LinkedHashMap<>();
    configs.forEach(
        (id, k) -> {
          if (!drop.test(k)) {
            left.put(id, k);
          }
        });
    Map<String, Integer> before = owners(configs);
    Map<String, Integer> after = owners(left);
    before.keySet().stream()
        .filter(o -> !after.containsKey(o))
        .forEach(o -> owned(o).decrementAndGet());
    return Collections.unmodifiableMap(left);
  }

  private static Map<String, Integer> owners(Map<String, Kept> configs) {
    Map<String, Integer> out = new LinkedHashMap<>();
    configs.values().forEach(k -> out.merge(k.config().owner(), 1, Integer::sum));
    return out;
  }

  /** Reserves a task's place and/or the owner's; all or nothing. */
  private void reserve(boolean task, String owner) {
    if (task) {
      reserveTask();
    }
    if (owner != null) {
      try {
        reserveOwner(owner);
      } catch (A2aError e) {
        if (task) {
          tasks.decrementAndGet();
        }
        throw e;
      }
    }
  }

  private void reserveTask() {
    if (tasks.incrementAndGet() > settings.maxPushTasks()) {
      tasks.decrementAndGet();
      throw full(
          "this hub watches the most tasks for push notifications it may"
              + " (hive.a2a.max-push-tasks)");
    }
  }

  private void reserveOwner(String owner) {
    AtomicInteger count = owned(owner);
    if (count.incrementAndGet() > settings.maxPushTasksPerCaller()) {
      count.decrementAndGet();
      throw full(
          "your push notification configs are on the most tasks one caller may have"
              + " (hive.a2a.max-push-tasks-per-caller)");
    }
  }

  private AtomicInteger owned(String owner) {
    return tasksByOwner.computeIfAbsent(owner, o -> new AtomicInteger());
  }

  private static A2aError full(String what) {
    return new A2aError(A2aError.SERVER_ERROR, what + "; retry later", null, 503);
  }
}
