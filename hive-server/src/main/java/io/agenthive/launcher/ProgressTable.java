package io.agenthive.launcher;

import io.agenthive.agent.AgentView;
import io.agenthive.hive.Hive;
import io.agenthive.matcher.HiveCounts;
import io.agenthive.task.Priority;
import io.agenthive.task.Task;
import io.agenthive.task.TaskStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Reads the hive's state for the demo and renders it as short, readable text. */
final class ProgressTable {
  private final Hive hive;
  private final List<String> taskIds;
  private final List<String> agentIds;

  ProgressTable(Hive hive, List<String> taskIds, List<String> agentIds) {
    this.hive = hive;
    this.taskIds = taskIds;
    this.agentIds = agentIds;
  }

  record Snapshot(HiveCounts queue, List<AgentView> agents, List<Task> tasks) {
    long count(TaskStatus status) {
      return tasks.stream().filter(t -> t.status() == status).count();
    }

    long finished() {
      return tasks.stream().filter(t -> t.status().isTerminal()).count();
    }

    /** Pending tasks no agent registered so far qualifies for: they wait for the specialist. */
    long waitingForSomeoneQualified() {
      return tasks.stream()
          .filter(t -> t.status() == TaskStatus.PENDING)
          .filter(t -> agents.stream().noneMatch(a -> qualifies(a, t)))
          .count();
    }

    private static boolean qualifies(AgentView agent, Task task) {
      return task.spec().requiredCapabilities().stream()
          .allMatch(
              r ->
                  agent.capabilities().stream()
                      .anyMatch(
                          c ->
                              c.name().equals(r.name())
                                  && c.proficiency() >= r.minimumProficiency()));
    }

    String render(Duration elapsed) {
      Map<Priority, Integer> q = queue.queueDepth();
      String agentLine =
          agents.stream()
              .map(
                  a ->
                      String.format(
                          "%s %s, %d done", a.name(), a.state().label(), a.tasksCompleted()))
              .collect(Collectors.joining(" | "));
      long unqualified = waitingForSomeoneQualified();
      return String.format(
          "%5.1fs | queue crit %2d high %2d med %2d low %2d%s | running %2d |"
              + " done %2d failed %2d%n       | agents: %s",
          elapsed.toMillis() / 1000.0,
          q.get(Priority.CRITICAL),
          q.get(Priority.HIGH),
          q.get(Priority.MEDIUM),
          q.get(Priority.LOW),
          unqualified == 0
              ? ""
              : String.format(" (%d waiting for an agent that qualifies)", unqualified),
          count(TaskStatus.RUNNING) + count(TaskStatus.ASSIGNED),
          count(TaskStatus.COMPLETED),
          count(TaskStatus.FAILED),
          agentLine);
    }
  }

  Snapshot snapshot() throws Exception {
    HiveCounts queue = DemoCommand.get(hive.ready(Duration.ofSeconds(10)));
    List<AgentView> agents = new ArrayList<>();
    for (String id : agentIds) {
      DemoCommand.get(hive.agents().get(id)).ifPresent(agents::add);
    }
    List<Task> tasks = new ArrayList<>();
    for (String id : taskIds) {
      DemoCommand.get(hive.tasks().get(id)).ifPresent(tasks::add);
    }
    return new Snapshot(queue, agents, tasks);
  }

  String summary(Duration elapsed) throws Exception {
    Snapshot last = snapshot();
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            "Summary: %d tasks in %.1fs: %d completed, %d failed, %d attempts in" + " all%n",
            last.tasks().size(),
            elapsed.toMillis() / 1000.0,
            last.count(TaskStatus.COMPLETED),
            last.count(TaskStatus.FAILED),
            last.tasks().stream().mapToInt(Task::attempts).sum()));
    for (Task t : last.tasks()) {
      if (t.status() == TaskStatus.FAILED) {
        out.append(
            String.format(
                "  failed: '%s' (%s) after %d attempts: %s%n",
                t.spec().title(),
                t.id(),
                t.attempts(),
                t.result() == null ? "no result" : t.result().error()));
      }
    }
    Map<Priority, List<Long>> waits = new EnumMap<>(Priority.class);
    for (Task t : last.tasks()) {
      if (t.startedAt() != null) {
        waits
            .computeIfAbsent(t.spec().priority(), p -> new ArrayList<>())
            .add(Duration.between(t.createdAt(), t.startedAt()).toMillis());
      }
    }
    waits.forEach(
        (p, ms) ->
            out.append(
                String.format(
                    "  %-8s mean wait to last start %6.0f ms%n",
                    p.label(), ms.stream().mapToLong(Long::longValue).average().orElse(0))));
    out.append(
        String.format(
            "  %-18s %-8s %5s %6s %6s  %s%n",
            "agent", "state", "done", "failed", "score", "proficiencies"));
    for (AgentView a : last.agents()) {
      String caps =
          a.capabilities().stream()
              .map(c -> String.format("%s=%.3f", c.name(), c.proficiency()))
              .collect(Collectors.joining(" "));
      out.append(
          String.format(
              "  %-18s %-8s %5d %6d %6.2f  %s%n",
              a.name(),
              a.state().label(),
              a.tasksCompleted(),
              a.tasksFailed(),
              a.performanceScore(),
              caps));
    }
    return out.toString();
  }
}
