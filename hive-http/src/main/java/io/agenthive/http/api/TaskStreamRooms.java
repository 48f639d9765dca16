package io.agenthive.http.api;

import akka.http.javadsl.model.StatusCodes;
import io.agenthive.http.json.ApiError;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Places for task streams on this node: {@code hive.http.max-task-streams} in all and {@code
 * hive.http.max-task-streams-per-caller} per caller. A place is counted at once (increment, then
 * compare and roll back): checking first and counting when the stream starts let concurrent
 * requests overshoot the cap. It is given back once, when the stream ends or, if its response is
 * never run (the connection gone before the server started it), after {@code unstartedAfter}.
 */
final class TaskStreamRooms {
  private final int max;
  private final int maxPerCaller;
  private final Duration unstartedAfter;
  private final AtomicInteger open = new AtomicInteger();
  private final Map<String, AtomicInteger> byCaller = new ConcurrentHashMap<>();

  TaskStreamRooms(int max, int maxPerCaller, Duration unstartedAfter) {
    this.max = max;
    this.maxPerCaller = maxPerCaller;
    this.unstartedAfter = unstartedAfter;
  }

  /** One stream's place; {@link #started} when its stream runs, {@link #release} when it ends. */
  final class Room {
    private final AtomicInteger callers;
    private final AtomicBoolean held = new AtomicBoolean(true);
    private final AtomicBoolean started = new AtomicBoolean();

    private Room(AtomicInteger callers) {
      this.callers = callers;
      CompletableFuture.delayedExecutor(unstartedAfter.toMillis(), TimeUnit.MILLISECONDS)
          .execute(
              () -> {
                if (!started.get()) {
                  release();
                }
              });
    }

    void started() {
      started.set(true);
    }

    void release() {
      if (held.compareAndSet(true, false)) {
        callers.decrementAndGet();
        open.decrementAndGet();
      }
    }
  }

  Room reserve(String caller) {
    if (open.incrementAndGet() > max) {
      open.decrementAndGet();
      throw full("at most " + max + " task streams may be open on this node; retry later");
    }
    AtomicInteger callers = byCaller.computeIfAbsent(caller, c -> new AtomicInteger());
    if (callers.incrementAndGet() > maxPerCaller) {
      callers.decrementAndGet();
      open.decrementAndGet();
      throw full(
          "at most "
              + maxPerCaller
              + " task streams may be open per caller (hive.http.max-task-streams-per-caller);"
              + " retry later");
    }
    return new Room(callers);
  }

  private static ApiError full(String message) {
    return new ApiError(StatusCodes.SERVICE_UNAVAILABLE, "too_many_streams", message, List.of(), 5);
  }
}
