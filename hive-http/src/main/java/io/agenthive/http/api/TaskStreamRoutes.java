package io.agenthive.http.api;

import static akka.http.javadsl.server.Directives.*;
import static akka.http.javadsl.server.PathMatchers.segment;

import akka.NotUsed;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Props;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.server.Route;
import akka.stream.BoundedSourceQueue;
import akka.stream.QueueOfferResult;
import akka.stream.javadsl.Source;
import akka.util.ByteString;
import com.typesafe.config.Config;
import io.agenthive.caller.LiveAccess;
import io.agenthive.hive.Hive;
import io.agenthive.http.guard.Guard;
import io.agenthive.http.json.ApiError;
import io.agenthive.http.json.Json;
import io.agenthive.live.LiveFollower;
import io.agenthive.task.Task;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/**
 * {@code GET /api/tasks/{id}/stream}: a task's live output as Server-Sent Events. A client first
 * gets {@code so_far} (the running attempt's text so far, once per attempt: a retry starts again),
 * then a {@code partial} event per new piece, then {@code end} with the task as {@code GET
 * /api/tasks/{id}} shows it, and the stream ends; for a task already ended, {@code end} at once.
 * One {@link LiveFollower} per stream, on this node, finds the attempt on whichever node runs it.
 *
 * <p>Bounded: at most {@code hive.http.max-task-streams} open on this node and {@code
 * hive.http.max-task-streams-per-caller} per caller ({@link TaskStreamRooms}; then 503 with
 * Retry-After), a client that falls {@link #BUFFER} events behind is ended, idle streams get a
 * comment line every {@code hive.http.task-stream-keep-alive}; access revoked ends the stream.
 */
public final class TaskStreamRoutes {
  /** Events held for a slow client before its stream is ended. */
  static final int BUFFER = 1024;

  private final Hive hive;
  private final TaskStreamRooms rooms;
  private final Duration keepAlive;
  private final Duration poll;

  public TaskStreamRoutes(Hive hive) {
    Config c = hive.system().settings().config();
    this.hive = hive;
    this.rooms =
        new TaskStreamRooms(
            c.getInt("hive.http.max-task-streams"),
            c.getInt("hive.http.max-task-streams-per-caller"),
            c.getDuration("hive.http.task-stream-unstarted-release"));
    this.keepAlive = c.getDuration("hive.http.task-stream-keep-alive");
    this.poll = c.getDuration("hive.streaming.poll-interval");
  }

  public Route route() {
    return pathPrefix("tasks", () -> path(segment().slash("stream"), id -> get(() -> stream(id))));
  }

  private Route stream(String id) {
    return onSuccess(
        hive.tasks().get(id),
        found -> {
          Task task = found.orElseThrow(() -> ApiError.notFound("task " + id + " not found"));
          if (task.status().isTerminal()) {
            return complete(sse(Source.single(end(id, task))));
          }
          return Guard.principal(
              caller ->
                  Guard.liveAccess(
                      live -> {
                        // reserved before anything is made; given back when the stream ends
                        TaskStreamRooms.Room room =
                            rooms.reserve(caller.kind() + ":" + caller.id());
                        return complete(sse(follow(id, live, room)));
                      }));
        });
  }

  private HttpResponse sse(Source<ByteString, ?> events) {
    return HttpResponse.create()
        .withEntity(
            HttpEntities.create(
                ContentTypes.parse("text/event-stream"),
                events
                    .keepAlive(keepAlive, () -> ByteString.fromString(": keep-alive\n\n"))
                    .mapMaterializedValue(m -> NotUsed.getInstance())));
  }

  /** The follower's events, counted against the cap while the client is there. */
  private Source<ByteString, NotUsed> follow(
      String id, LiveAccess live, TaskStreamRooms.Room room) {
    Source<ByteString, NotUsed> events =
        Source.<LiveFollower.Event>queue(BUFFER)
            .mapMaterializedValue(
                queue -> {
                  room.started();
                  return start(id, queue);
                })
            .watchTermination(
                (follower, done) -> {
                  done.whenComplete(
                      (d, e) -> {
                        room.release();
                        follower.tell(new LiveFollower.Stop());
                      });
                  return NotUsed.getInstance();
                })
            .map(e -> render(id, e));
    return live.cut(events);
  }

  private ActorRef<LiveFollower.Command> start(
      String id, BoundedSourceQueue<LiveFollower.Event> queue) {
    LiveFollower.Listener to =
        new LiveFollower.Listener() {
          @Override
          public boolean offer(LiveFollower.Event event) {
            return queue.offer(event) == QueueOfferResult.enqueued();
          }

          @Override
          public void done() {
            queue.complete();
          }
        };
    return hive.system()
        .systemActorOf(
            LiveFollower.create(id, () -> hive.tasks().get(id), poll, to),
            "task-stream-" + UUID.randomUUID(),
            Props.empty());
  }

  private static ByteString render(String id, LiveFollower.Event e) {
    if (e instanceof LiveFollower.SoFar s) {
      return event(
          "so_far",
          Map.of(
              "task_id", id, "attempt", s.attempt(), "text", s.text(), "truncated", s.truncated()));
    }
    if (e instanceof LiveFollower.Delta d) {
      return event("partial", Map.of("task_id", id, "attempt", d.attempt(), "text", d.text()));
    }
    if (e instanceof LiveFollower.Truncated t) {
      return event("truncated", Map.of("task_id", id, "attempt", t.attempt()));
    }
    LiveFollower.End end = (LiveFollower.End) e;
    return end.task().isPresent()
        ? end(id, end.task().get())
        : event("end", Map.of("id", id, "status", "unknown"));
  }

  private static ByteString end(String id, Task task) {
    return event("end", Views.task(task));
  }

  /** One event; its data is one line of JSON (no newline inside, so one data field). */
  private static ByteString event(String name, Object data) {
    return ByteString.fromString("event: " + name + "\ndata: ")
        .concat(ByteString.fromArrayUnsafe(Json.bytes(data)))
        .concat(ByteString.fromString("\n\n"));
  }
}
