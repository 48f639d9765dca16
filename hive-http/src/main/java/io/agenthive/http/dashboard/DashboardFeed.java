package io.agenthive.http.dashboard;

import akka.NotUsed;
import akka.stream.Materializer;
import akka.stream.RestartSettings;
import akka.stream.javadsl.BroadcastHub;
import akka.stream.javadsl.Keep;
import akka.stream.javadsl.RestartSource;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agenthive.agent.AgentView;
import io.agenthive.hive.Hive;
import io.agenthive.http.json.Json;
import io.agenthive.persistence.HiveEventFeed;
import io.agenthive.persistence.readside.AgentViewQueries;
import io.agenthive.persistence.readside.ReadSide;
import io.agenthive.persistence.readside.TaskViewQueries;
import io.agenthive.task.ChunkRef;
import io.agenthive.task.Task;
import io.agenthive.task.TaskStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What every dashboard connection shares, computed once per hub rather than per client: full
 * snapshots every interval and state changes read from the journal, coalesced into at most one
 * batch per {@code COALESCE} window, both only while someone is connected. Both are broadcast; each
 * hub also has a draining consumer so it never waits for a client. Both sources restart with
 * backoff if a read fails.
 */
public final class DashboardFeed {
  static final Duration COALESCE = Duration.ofMillis(300);

  /** Agents a dashboard shows: the oldest ones, a picture rather than a registry. */
  static final int MAX_AGENTS = 1000;

  /** How long a change batch waits for the read tables to hold it. */
  private static final Duration READ_SIDE_WAIT = Duration.ofSeconds(2);

  private static final Set<String> AGENT_CHANGES =
      Set.of("TaskStarted", "TaskCompleted", "TaskFailed", "TaskTimedOut", "TaskAwaitingSubtasks");
  private static final RestartSettings RESTART =
      RestartSettings.create(Duration.ofSeconds(1), Duration.ofSeconds(30), 0.2);
  private final Hive hive;
  private final ReadSide readSide;
  private final TaskViewQueries view;
  private final AgentViewQueries agentsView;
  private final int taskLimit;
  private final AtomicInteger clients = new AtomicInteger();
  final Source<List<String>, NotUsed> snapshots;
  final Source<Change, NotUsed> changes;

  /** A change message; {@code createdId} names the agent or task an {@code *_created} announces. */
  record Change(String createdId, String text) {}

  public DashboardFeed(
      Hive hive, ReadSide readSide, HiveEventFeed feed, Duration interval, int taskLimit) {
    this.hive = hive;
    this.readSide = readSide;
    this.view = readSide.tasks();
    this.agentsView = readSide.agents();
    this.taskLimit = taskLimit;
    Materializer mat = Materializer.matFromSystem(hive.system());
    this.snapshots =
        broadcast(
            RestartSource.withBackoff(
                RESTART,
                () ->
                    Source.tick(Duration.ZERO, interval, "tick")
                        .filter(t -> clients.get() > 0)
                        .mapAsync(1, t -> snapshot())),
            mat);
    this.changes =
        broadcast(
            RestartSource.withBackoff(
                RESTART,
                () ->
                    Source.completionStageSource(
                            feed.latestOffset().thenApply(from -> feed.after(from, true)))
                        .groupedWithin(512, COALESCE)
                        // reading changed tasks for nobody would also wake every finished task
                        // entity
                        .filter(batch -> clients.get() > 0)
                        .mapAsync(1, this::changeMessages)
                        .mapConcat(list -> list)),
            mat);
  }

  @SuppressWarnings("unchecked")
  private static <T> Source<T, NotUsed> broadcast(Source<T, NotUsed> source, Materializer mat) {
    Source<T, NotUsed> hub =
        source.toMat(BroadcastHub.of((Class<T>) (Class<?>) Object.class, 2), Keep.right()).run(mat);
    hub.runWith(Sink.ignore(), mat);
    return hub;
  }

  public int connectedClients() {
    return clients.get();
  }

  void connected() {
    clients.incrementAndGet();
  }

  void disconnected() {
    clients.decrementAndGet();
  }

  /** agents_update, tasks_update and metrics_update, in that order. */
  CompletionStage<List<String>> snapshot() {
    return state()
        .thenApply(
            s ->
                List.of(
                    DashboardFormat.envelope(
                        "agents_update",
                        Map.of("agents", s.agents().stream().map(DashboardFormat::agent).toList()),
                        null),
                    DashboardFormat.envelope(
                        "tasks_update",
                        Map.of(
                            "tasks", s.recentTasks().stream().map(DashboardFormat::task).toList()),
                        null),
                    DashboardFormat.envelope("metrics_update", s.metrics(), null)));
  }

  /** The hive_status message sent on connect and for get_status. */
  CompletionStage<String> hiveStatus(String hiveId, Instant createdAt, String correlationId) {
    return state()
        .thenApply(
            s -> {
              ObjectNode data = Json.MAPPER.createObjectNode();
              data.put("hive_id", hiveId)
                  .put("created_at", createdAt.toString())
                  .put("last_update", Instant.now().toString());
              data.set("metrics", s.metrics().get("metrics"));
              data.set("swarm_center", s.metrics().get("swarm_center"));
              data.set("total_energy", s.metrics().get("total_energy"));
              return DashboardFormat.envelope("hive_status", data, correlationId);
            });
  }

  private record State(List<AgentView> agents, List<Task> recentTasks, ObjectNode metrics) {}

  /** From the read tables and the hive's counts: no actor is asked. */
  private CompletionStage<State> state() {
    return agents()
        .thenCombine(view.newest(taskLimit), Map::entry)
        .thenCombine(
            hive.counts(),
            (lists, counts) ->
                new State(
                    lists.getKey(),
                    lists.getValue(),
                    DashboardFormat.metrics(
                        lists.getKey(),
                        counts.tasks().get(TaskStatus.COMPLETED),
                        counts.tasks().get(TaskStatus.FAILED))));
  }

  private CompletionStage<List<AgentView>> agents() {
    return agentsView.first(MAX_AGENTS);
  }

  /** One coalesced batch of journal events as dashboard messages. */
  private CompletionStage<List<Change>> changeMessages(List<HiveEventFeed.FeedEvent> batch) {
    List<Change> out = new ArrayList<>();
    Set<String> changedTasks = new LinkedHashSet<>();
    boolean agentsChanged = false;
    for (HiveEventFeed.FeedEvent e : batch) {
      if (e.type().equals("AgentRegistered")) {
        out.add(
            new Change(
                e.entityId(),
                DashboardFormat.envelope(
                    "agent_created", Map.of("success", true, "agent_id", e.entityId()), null)));
      } else if (e.type().equals("TaskSubmitted") && !ChunkRef.isChunkTaskId(e.entityId())) {
        out.add(
            new Change(
                e.entityId(),
                DashboardFormat.envelope(
                    "task_created", Map.of("success", true, "task_id", e.entityId()), null)));
      }
      if (e.entityKind().equals("Task") && !ChunkRef.isChunkTaskId(e.entityId())) {
        // a dataset's chunks show as its progress, not as thousands of task updates
        changedTasks.add(e.entityId());
      } else if (e.entityKind().equals("Agent")) {
        agentsChanged = true;
      }
      if (AGENT_CHANGES.contains(e.type())) {
        agentsChanged = true; // a start or an outcome changes its agent's state or stats
      }
    }
    if (changedTasks.isEmpty() && !agentsChanged) {
      return CompletableFuture.completedFuture(out);
    }
    // the tables trail the journal: read the changed rows once they hold this batch
    long upTo = batch.get(batch.size() - 1).offset();
    boolean withAgents = agentsChanged;
    CompletionStage<Boolean> caughtUp = readSide.applied(upTo, READ_SIDE_WAIT);
    CompletionStage<List<Task>> reads =
        changedTasks.isEmpty()
            ? caughtUp.thenApply(c -> List.of())
            : caughtUp.thenCompose(c -> view.byIds(List.copyOf(changedTasks)));
    CompletionStage<List<String>> agentUpdate =
        !withAgents
            ? CompletableFuture.completedFuture(List.of())
            : caughtUp
                .thenCompose(c -> agents())
                .thenApply(
                    agents ->
                        List.of(
                            DashboardFormat.envelope(
                                "agents_update",
                                Map.of(
                                    "agents", agents.stream().map(DashboardFormat::agent).toList()),
                                null)));
    return reads.thenCombine(
        agentUpdate,
        (tasks, agents) -> {
          for (Task t : tasks) {
            out.add(
                new Change(
                    null,
                    DashboardFormat.envelope(
                        "task_status_update", Map.of("task", DashboardFormat.task(t)), null)));
          }
          agents.forEach(text -> out.add(new Change(null, text)));
          return out;
        });
  }
}
