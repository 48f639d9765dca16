package io.agenthive.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

/**
 * The open spans of the tasks this node traces: each task's own span, its current attempt's, and
 * the context of the attempt before (a retry links to it).
 *
 * <p>Bounded two ways. Past {@code MAX} open tasks new ones are not traced rather than held. And a
 * task whose end this node never sees (on a cluster its entity may live on another node, and the
 * end is recorded there) is ended as {@code unknown} once it has been open longer than {@code
 * STALE}: a sweep runs whenever the map is full and every {@code SWEEP_EVERY} starts.
 */
final class TaskSpans {
  static final int MAX = 100_000;
  static final Duration STALE = Duration.ofHours(6);
  private static final int SWEEP_EVERY = 10_000;

  private static final class Open {
    final Span task;
    final long openedNanos = System.nanoTime();
    Span run;
    SpanContext previousRun;

    Open(Span task) {
      this.task = task;
    }
  }

  private final ConcurrentMap<String, Open> open = new ConcurrentHashMap<>();
  private int startsSinceSweep; // racy on purpose: it only paces the sweeps

  boolean start(String taskId, Supplier<Span> span) {
    if (++startsSinceSweep >= SWEEP_EVERY || open.size() >= MAX) {
      startsSinceSweep = 0;
      sweep(System.nanoTime() - STALE.toNanos());
    }
    if (open.size() >= MAX) {
      return false;
    }
    boolean[] made = new boolean[1];
    open.computeIfAbsent(
        taskId,
        id -> {
          made[0] = true;
          return new Open(span.get());
        });
    return made[0];
  }

  /** Ends, as unknown, the tasks opened before {@code beforeNanos}. */
  void sweep(long beforeNanos) {
    open.forEach(
        (id, o) -> {
          if (o.openedNanos - beforeNanos < 0 && open.remove(id, o)) {
            endRunOf(o, "the task's end was not seen on this node");
            o.task.setAttribute("hive.task.status", "unknown");
            o.task.end();
          }
        });
  }

  /** Forgets the task; its span, to end, or null if it was not traced here. */
  Span end(String taskId) {
    Open o = open.remove(taskId);
    if (o == null) {
      return null;
    }
    endRunOf(o, "the task ended during the attempt");
    return o.task;
  }

  private static void endRunOf(Open o, String why) {
    synchronized (o) {
      if (o.run != null) {
        o.run.setStatus(StatusCode.ERROR, why);
        o.run.end();
        o.run = null;
      }
    }
  }

  void startRun(String taskId, Tracer tracer, int attempt, String agentId, String skill) {
    Open o = open.get(taskId);
    if (o == null) {
      return; // submitted on another node, or not traced
    }
    synchronized (o) {
      if (o.run != null) { // an attempt whose end was never told (its agent restarted)
        o.run.setStatus(StatusCode.ERROR, "superseded by attempt " + attempt);
        o.run.end();
        o.previousRun = o.run.getSpanContext();
      }
      var builder =
          tracer
              .spanBuilder("task.run")
              .setParent(Context.root().with(o.task))
              .setAttribute("hive.task.id", taskId)
              .setAttribute("hive.task.attempt", attempt)
              .setAttribute("hive.agent.id", agentId)
              .setAttribute("hive.skill", skill);
      if (o.previousRun != null) {
        builder.addLink(o.previousRun); // a retry: the attempt it follows
      }
      o.run = builder.startSpan();
    }
  }

  void endRun(String taskId, String outcome, boolean ok) {
    Open o = open.get(taskId);
    if (o == null) {
      return;
    }
    synchronized (o) {
      if (o.run == null) {
        return;
      }
      o.run.setAttribute("hive.outcome", outcome);
      if (!ok) {
        o.run.setStatus(StatusCode.ERROR, outcome);
      }
      o.run.end();
      o.previousRun = o.run.getSpanContext();
      o.run = null;
    }
  }

  Span run(String taskId) {
    Open o = open.get(taskId);
    if (o == null) {
      return null;
    }
    synchronized (o) {
      return o.run;
    }
  }

  int size() {
    return open.size();
  }
}
