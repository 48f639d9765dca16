package io.agenthive.a2a;

import akka.NotUsed;
import akka.stream.Materializer;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import com.fasterxml.jackson.databind.JsonNode;
import io.agenthive.mcp.HubApi;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * A task's changes as A2A sees them, read the way MCP's {@code wait_for_task} reads them: the task
 * by id through the API, as the caller, every {@code hive.a2a.poll-interval} (a scheduled tick, not
 * a sleeping thread). The task entity answers by id, so no state is missed except one the next
 * overtakes (assigned then running within one interval are both "working" anyway). The same source
 * serves blocking sends, streams and push notifications.
 */
final class TaskFollower {
  private final Materializer materializer;
  private final Duration interval;

  TaskFollower(Materializer materializer, Duration interval) {
    this.materializer = materializer;
    this.interval = interval;
  }

  /**
   * The task now, then each time its A2A state changes, ending with its final state or after {@code
   * within}; an API error (the task gone, the key revoked) fails the source with it.
   */
  Source<JsonNode, NotUsed> changes(HubApi.Caller caller, String id, Duration within) {
    return Source.tick(Duration.ZERO, interval, "tick")
        .mapMaterializedValue(c -> NotUsed.getInstance())
        .mapAsync(1, tick -> caller.call("GET", "/api/tasks/" + id, null))
        .map(reply -> HubReplies.ok(reply, id, ""))
        .via(distinctStates())
        .takeWhile(task -> !A2aShapes.isFinal(A2aShapes.state(task)), true)
        .takeWithin(within);
  }

  /** Only snapshots whose A2A state differs from the one before. */
  static akka.stream.javadsl.Flow<JsonNode, JsonNode, NotUsed> distinctStates() {
    return akka.stream.javadsl.Flow.<JsonNode>create()
        .statefulMapConcat(
            () -> {
              String[] last = {null};
              return task -> {
                String state = A2aShapes.state(task);
                if (state.equals(last[0])) {
                  return List.of();
                }
                last[0] = state;
                return List.of(task);
              };
            });
  }

  /** The task once it is final or waits for input, or as it is after {@code within}. */
  CompletionStage<JsonNode> settled(HubApi.Caller caller, String id, Duration within) {
    return changes(caller, id, within)
        .takeWhile(task -> !A2aShapes.isSettled(A2aShapes.state(task)), true)
        .runWith(Sink.lastOption(), materializer)
        .thenCompose(
            last ->
                last.isPresent()
                    ? java.util.concurrent.CompletableFuture.completedFuture(last.get())
                    : caller
                        .call("GET", "/api/tasks/" + id, null)
                        .thenApply(reply -> HubReplies.ok(reply, id, "")));
  }
}
