package io.agenthive.http.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.agenthive.agent.AgentView;
import io.agenthive.http.json.Json;
import io.agenthive.task.AssignmentReason;
import io.agenthive.task.ChunkRef;
import io.agenthive.task.DatasetProgress;
import io.agenthive.task.DatasetSpec;
import io.agenthive.task.Dependencies;
import io.agenthive.task.RequiredCapability;
import io.agenthive.task.Task;
import io.agenthive.task.TaskResult;
import io.agenthive.task.TaskSpec;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The API's response shapes (snake_case through {@link Json}); separate from actor messages. */
public final class Views {
  private Views() {}

  record CapabilityJson(String name, double proficiency, double learningRate) {}

  record StatsJson(
      long tasksCompleted,
      long tasksFailed,
      double averageDurationMs,
      double performanceScore,
      long tokensUsed) {}

  record AgentJson(
      String id,
      String name,
      String type,
      String state,
      List<CapabilityJson> capabilities,
      String skill,
      StatsJson stats,
      long experienceCount,
      Instant createdAt,
      Instant lastActiveAt,
      String currentTaskId,
      int runningTasks,
      int maxConcurrency) {}

  record RequirementJson(String name, double minimumProficiency) {}

  /**
   * {@code outputStored}: the output was too large to keep in its event; it is read, streamed, from
   * {@code url} ({@code GET /api/tasks/{id}/result}), and {@code output} is then null.
   */
  record ResultJson(
      boolean success,
      JsonNode output,
      String error,
      long durationMs,
      Double qualityScore,
      StoredJson outputStored) {}

  record StoredJson(long size, String sha256, String url) {}

  record TaskJson(
      String id,
      String title,
      String description,
      String type,
      String priority,
      List<RequirementJson> requiredCapabilities,
      JsonNode input,
      Instant deadline,
      Integer maxAttempts,
      Long timeoutMs,
      String idempotencyKey,
      String status,
      int attempts,
      String assignedAgent,
      AssignmentReason assignmentReason,
      ResultJson result,
      Instant createdAt,
      Instant assignedAt,
      Instant startedAt,
      Instant completedAt,
      Instant retryAt,
      DatasetJson dataset,
      ProgressJson progress,
      ChunkJson chunk,
      List<String> dependsOn,
      String onDependencyFailure,
      String workflowId,
      String step,
      Map<String, JsonNode> dependencies,
      String waitingReason,
      String kind,
      Instant notBefore,
      Instant expiresAt,
      GateViews.ApprovalJson approval,
      @com.fasterxml.jackson.annotation.JsonProperty("wait") GateViews.WaitJson waitStep,
      String parentId,
      List<String> awaiting,
      String subject) {}

  record DatasetJson(
      String path,
      String format,
      Integer chunkBytes,
      Integer parallelism,
      boolean failOnMalformed,
      boolean uploaded) {}

  record ProgressJson(
      long chunksDone,
      long chunksFailed,
      long recordsDone,
      long malformedRecords,
      long bytesDone,
      long bytesTotal,
      long resultBytes) {}

  record ChunkJson(
      String datasetTask, long index, long offset, long length, String sha256, Long firstLine) {}

  record Page<T>(List<T> items, String nextCursor) {}

  /**
   * A page of a list that pages both ways: {@code prevCursor} is the {@code before} of the page
   * before (null on the first), {@code total} how many items match the filters in all.
   */
  record ListPage<T>(List<T> items, String nextCursor, String prevCursor, long total) {}

  static AgentJson agent(AgentView a) {
    return new AgentJson(
        a.id(),
        a.name(),
        a.type(),
        a.state().label(),
        a.capabilities().stream()
            .map(c -> new CapabilityJson(c.name(), c.proficiency(), c.learningRate()))
            .toList(),
        a.skill(),
        new StatsJson(
            a.tasksCompleted(),
            a.tasksFailed(),
            a.averageDurationMs(),
            a.performanceScore(),
            a.tokensUsed()),
        a.experienceCount(),
        a.createdAt(),
        a.lastActiveAt(),
        a.currentTaskId(),
        a.runningTasks(),
        a.maxConcurrency());
  }

  static ResultJson result(String taskId, TaskResult r) {
    if (r == null) {
      return null;
    }
    StoredJson stored =
        r.stored() == null
            ? null
            : new StoredJson(
                r.stored().size(), r.stored().sha256(), "/api/tasks/" + taskId + "/result");
    return new ResultJson(
        r.success(), r.output(), r.error(), r.durationMs(), r.qualityScore(), stored);
  }

  static TaskJson task(Task t) {
    return task(t, null);
  }

  /**
   * {@code waitingReason}: why a pending task waits, as the matcher says; a blocked task waits for
   * its dependencies.
   */
  static TaskJson task(Task t, String waitingReason) {
    if (t.spec() == null) {
      return unreadable(t);
    }
    TaskSpec s = t.spec();
    Dependencies deps = s.dependencies();
    TaskResult r = t.result();
    return new TaskJson(
        t.id(),
        s.title(),
        s.description(),
        s.type(),
        s.priority().label(),
        s.requiredCapabilities().stream().map(Views::requirement).toList(),
        s.input(),
        s.deadline(),
        s.maxAttempts(),
        s.timeoutMs(),
        s.idempotencyKey(),
        t.status().label(),
        t.attempts(),
        t.assignedAgent(),
        t.assignmentReason(),
        result(t.id(), r),
        t.createdAt(),
        t.assignedAt(),
        t.startedAt(),
        t.completedAt(),
        t.retryAt(),
        dataset(s.dataset()),
        progress(t.progress()),
        chunk(s.chunk()),
        deps == null || !deps.waits() ? null : deps.on(),
        deps == null || !deps.waits() ? null : deps.runOnFailure() ? "run" : "fail",
        deps == null ? null : deps.workflowId(),
        deps == null ? null : deps.name(),
        dependencyOutputs(t),
        t.status() != io.agenthive.task.TaskStatus.BLOCKED
            ? waitingReason
            // a read row keeps no awaiting ids, but only a task that ran is blocked again
            : t.awaiting().isEmpty() && t.attempts() == 0 ? "dependencies" : "subtasks",
        GateViews.kind(s),
        GateViews.notBefore(s),
        GateViews.expiresAt(s),
        GateViews.approval(t),
        GateViews.waitFor(t),
        deps == null ? null : deps.parentId(),
        t.awaiting().isEmpty() ? null : t.awaiting(),
        s.subject());
  }

  /**
   * A task whose submission could not be read back from the journal: only its id, its status
   * (failed) and why are known.
   */
  private static TaskJson unreadable(Task t) {
    return new TaskJson(
        t.id(),
        null,
        null,
        null,
        null,
        List.of(),
        null,
        null,
        null,
        null,
        null,
        t.status().label(),
        t.attempts(),
        t.assignedAgent(),
        t.assignmentReason(),
        result(t.id(), t.result()),
        t.createdAt(),
        t.assignedAt(),
        t.startedAt(),
        t.completedAt(),
        t.retryAt(),
        null,
        progress(t.progress()),
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null);
  }

  /** What the tasks it waited for left it, by id (null for a task that waited for none). */
  private static Map<String, JsonNode> dependencyOutputs(Task t) {
    if (t.dependencies() == null) {
      return null;
    }
    Map<String, JsonNode> out = new java.util.LinkedHashMap<>();
    t.dependencies().forEach(d -> out.put(d.taskId(), d.output()));
    return out;
  }

  private static DatasetJson dataset(DatasetSpec d) {
    return d == null
        ? null
        : new DatasetJson(
            d.uploaded() ? null : d.path(),
            d.format().label(),
            d.chunkBytes(),
            d.parallelism(),
            d.failOnMalformed(),
            d.uploaded());
  }

  private static ProgressJson progress(DatasetProgress p) {
    return p == null
        ? null
        : new ProgressJson(
            p.chunksDone(),
            p.chunksFailed(),
            p.recordsDone(),
            p.malformedRecords(),
            p.bytesDone(),
            p.bytesTotal(),
            p.resultBytes());
  }

  private static ChunkJson chunk(ChunkRef c) {
    return c == null
        ? null
        : new ChunkJson(
            c.datasetTaskId(),
            c.index(),
            c.offset(),
            c.length(),
            c.sha256(),
            c.format().byRecords() ? c.firstLine() : null);
  }

  private static RequirementJson requirement(RequiredCapability rc) {
    return new RequirementJson(rc.name(), rc.minimumProficiency());
  }
}
