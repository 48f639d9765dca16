package io.agenthive.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

/**
 * The open spans of the tasks this node traces: each task's own span, its current attempt's, and
 * the context of the attempt before (a retry links to it). Bounded: past {@code MAX} open tasks new
 * ones are not traced rather than held, so a flood of submissions costs no memory here.
 */
final class TaskSpans {
  static final int MAX = 100_000;

  private static final class Open {
    final Span task;
    Span run;
    SpanContext previousRun;

    Open(Span task) {
      this.task = task;
    }
  }

  private final ConcurrentMap<String, Open> open = new ConcurrentHashMap<>();

  boolean start(String taskId, Supplier<Span> span) {
    if (open.size() >= MAX || open.containsKey(taskId)) {
      return false;
    }
    return open.putIfAbsent(taskId, new Open(span.get())) == null;
  }

  /** Forgets the task; its span, to end, or null if it was not traced here. */
  Span end(String taskId) {
    Open o = open.remove(taskId);
    if (o == null) {
      return null;
    }
    synchronized (o) {
      if (o.run != null) {
        o.run.setStatus(StatusCode.ERROR, "the task ended during the attempt");
        o.run.end();
      }
    }
    return o.task;
  }

  void startRun(String taskId, Tracer tracer, int attempt, String agentId, String skill) {
    Open o = open.get(taskId);
    if (o == null) {
      return; // submitted on another node, or not traced
    }
    var builder =
        tracer
            .spanBuilder("task.run")
            .setAttribute("hive.task.id", taskId)
            .setAttribute("hive.task.attempt", attempt)
            .setAttribute("hive.agent.id", agentId)
            .setAttribute("hive.skill", skill);
    synchronized (o) {
      builder.setParent(Context.root().with(o.task));
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
}
