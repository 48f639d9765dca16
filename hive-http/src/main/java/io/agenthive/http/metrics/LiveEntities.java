package io.agenthive.http.metrics;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import akka.cluster.sharding.ShardRegion;
import akka.cluster.sharding.typed.GetShardRegionState;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import io.agenthive.agent.AgentActor;
import io.agenthive.remoteagent.WorkerLink;
import io.agenthive.task.TaskEntity;
import io.agenthive.workflow.WorkflowEntity;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How many entities of each kind live in this node's memory now, asked of its shard regions when
 * Prometheus scrapes ({@code hive_live_entities}): what a flood of reads of random ids must not
 * grow, and what passivation should keep near the work in progress.
 */
final class LiveEntities {
  private static final Duration ASK = Duration.ofSeconds(1);
  private static final List<EntityTypeKey<?>> KINDS =
      List.of(
          TaskEntity.TYPE_KEY, AgentActor.TYPE_KEY, WorkflowEntity.TYPE_KEY, WorkerLink.TYPE_KEY);

  private LiveEntities() {}

  /** Entities by kind; a region that does not answer in time is left out. */
  static CompletionStage<Map<String, Integer>> count(ActorSystem<?> system) {
    Map<String, Integer> counts = new ConcurrentHashMap<>();
    CompletableFuture<?>[] asks =
        KINDS.stream()
            .map(
                key ->
                    AskPattern.<GetShardRegionState, ShardRegion.CurrentShardRegionState>ask(
                            ClusterSharding.get(system).shardState().narrow(),
                            replyTo -> new GetShardRegionState(key, replyTo),
                            ASK,
                            system.scheduler())
                        .thenAccept(
                            state ->
                                counts.put(
                                    key.name(),
                                    state.getShards().stream()
                                        .mapToInt(s -> s.getEntityIds().size())
                                        .sum()))
                        .exceptionally(late -> null)
                        .toCompletableFuture())
            .toArray(CompletableFuture[]::new);
    return CompletableFuture.allOf(asks).thenApply(done -> Map.copyOf(counts));
  }
}
