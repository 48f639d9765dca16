package io.agenthive.a2a;

import akka.NotUsed;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.MediaTypes;
import akka.japi.pf.PFBuilder;
import akka.stream.javadsl.Source;
import akka.util.ByteString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agenthive.mcp.HubApi;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * SendStreamingMessage and SubscribeToTask over Server-Sent Events: each {@code data:} is a
 * JSON-RPC response carrying the request's id. First the task as it is, then a status update for
 * each change of its A2A state; at the final state the output as an artifact update, then the final
 * status update (0.3: {@code final: true}), and the stream ends. A comment line every 15 s keeps an
 * idle stream open through the idle timeout and proxies.
 */
final class A2aStreams {
  private static final ByteString HEARTBEAT = ByteString.fromString(":\n\n");
  private final TaskFollower follower;
  private final A2aSettings settings;
  private final AtomicInteger open = new AtomicInteger();
  private final Map<String, AtomicInteger> openByCaller = new ConcurrentHashMap<>();

  A2aStreams(TaskFollower follower, A2aSettings settings) {
    this.follower = follower;
    this.settings = settings;
  }

  /**
   * A stream's place, taken before anything starts (refused when the node's or the caller's streams
   * are all taken) and given back once, when the stream ends or was never made.
   */
  final class Room {
    private final AtomicInteger callers;
    private final AtomicBoolean held = new AtomicBoolean(true);

    private Room(AtomicInteger callers) {
      this.callers = callers;
    }

    void release() {
      if (held.compareAndSet(true, false)) {
        callers.decrementAndGet();
        open.decrementAndGet();
      }
    }
  }

  /**
   * Counted at once (increment, then compare and roll back), so concurrent requests cannot
   * overshoot.
   */
  Room reserve(String caller) {
    if (open.incrementAndGet() > settings.maxStreams()) {
      open.decrementAndGet();
      throw full(settings.maxStreams() + " A2A streams may be open (hive.a2a.max-streams)");
    }
    AtomicInteger callers = openByCaller.computeIfAbsent(caller, c -> new AtomicInteger());
    if (callers.incrementAndGet() > settings.maxStreamsPerCaller()) {
      callers.decrementAndGet();
      open.decrementAndGet();
      throw full(
          settings.maxStreamsPerCaller()
              + " A2A streams may be open per caller (hive.a2a.max-streams-per-caller)");
    }
    return new Room(callers);
  }

  private static A2aError full(String what) {
    return new A2aError(A2aError.SERVER_ERROR, "at most " + what + "; retry later", null, 503);
  }

  /** The stream of {@code first} (the task now) and its changes from here on. */
  HttpResponse stream(
      JsonNode rpcId,
      HubApi.Caller caller,
      JsonNode first,
      A2aVersion v,
      JsonNode params,
      Room room) {
    String id = first.path("id").asText();
    Source<JsonNode, NotUsed> tasks =
        A2aShapes.isFinal(A2aShapes.state(first))
            ? Source.single(first)
            : Source.single(first)
                .concat(follower.changes(caller, id, settings.maxStream()))
                .via(TaskFollower.distinctStates());
    Source<ByteString, NotUsed> events =
        tasks
            .statefulMapConcat(
                () -> {
                  boolean[] started = {false};
                  return task -> {
                    List<JsonNode> out = new ArrayList<>();
                    if (!started[0]) {
                      started[0] = true;
                      out.add(A2aShapes.wrapped("task", TaskMethods.shaped(task, params, v), v));
                      return out;
                    }
                    if (A2aShapes.isFinal(A2aShapes.state(task))) {
                      ObjectNode artifact = A2aShapes.artifactUpdate(task, v);
                      if (artifact != null) {
                        out.add(A2aShapes.wrapped("artifactUpdate", artifact, v));
                      }
                    }
                    out.add(A2aShapes.wrapped("statusUpdate", A2aShapes.statusUpdate(task, v), v));
                    return out;
                  };
                })
            .map(result -> event(JsonRpc.result(rpcId, result)))
            .recover(
                new PFBuilder<Throwable, ByteString>()
                    .match(A2aError.class, e -> event(JsonRpc.error(rpcId, e, v)))
                    .matchAny(
                        e ->
                            event(
                                JsonRpc.error(
                                    rpcId,
                                    new A2aError(
                                        A2aError.INTERNAL,
                                        "the stream ended: " + e.getClass().getSimpleName()),
                                    v)))
                    .build())
            .keepAlive(Duration.ofSeconds(15), () -> HEARTBEAT);
    return HttpResponse.create()
        .withEntity(
            HttpEntities.create(MediaTypes.TEXT_EVENT_STREAM.toContentType(), held(events, room)));
  }

  /**
   * Holds its room from when it runs until it ends, however it ends. A response whose entity is
   * never run (its connection gone before the server started it) would hold the room for good, so a
   * room not started within {@code hive.a2a.call-timeout} is given back.
   */
  private Source<ByteString, NotUsed> held(Source<ByteString, NotUsed> events, Room room) {
    AtomicBoolean started = new AtomicBoolean();
    CompletableFuture.delayedExecutor(settings.callTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .execute(
            () -> {
              if (!started.get()) {
                room.release();
              }
            });
    return events.watchTermination(
        (nu, done) -> {
          started.set(true); // called as the stream is materialized
          done.whenComplete((d, t) -> room.release());
          return NotUsed.getInstance();
        });
  }

  private static ByteString event(JsonNode response) {
    // compact JSON has no line breaks, so one data line carries the whole response
    return ByteString.fromString("data: " + response + "\n\n");
  }
}
