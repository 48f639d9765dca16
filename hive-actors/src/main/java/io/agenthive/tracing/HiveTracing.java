package io.agenthive.tracing;

import akka.Done;
import akka.actor.CoordinatedShutdown;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Traces, when the standard {@code OTEL_*} variables ask for them: an HTTP request's span, each
 * task's life under it (a {@code task} span from submission to its end, one {@code task.run} span
 * per attempt, each retry linked to the attempt before) and the skill's outgoing call, with W3C
 * {@code traceparent} sent to the {@code http} skill's endpoint, the {@code llm} skill's provider
 * and remote workers.
 *
 * <p>Off by default: unless {@code OTEL_TRACES_EXPORTER} (not {@code none}) or an OTLP endpoint is
 * set, every method returns at its first line, and nothing is kept per task. The live spans of
 * tasks are held in memory on the node that took the submission ({@link TaskSpans}): an attempt run
 * by an agent on another node of a cluster is not traced, and a task whose end is recorded on
 * another node is ended as {@code unknown} after a while. A task retried after it failed keeps the
 * span that ended with the failure; its new attempts are not traced.
 */
public final class HiveTracing implements Extension {
  private static final String SCOPE = "io.agenthive";
  private volatile boolean enabled;
  private volatile OpenTelemetry telemetry = OpenTelemetry.noop();
  private volatile Tracer tracer = telemetry.getTracer(SCOPE);
  private final TaskSpans tasks = new TaskSpans();

  private HiveTracing(ActorSystem<?> system) {
    Map<String, String> env = System.getenv();
    if (wanted(env)) {
      OpenTelemetrySdk sdk =
          AutoConfiguredOpenTelemetrySdk.builder()
              // traces only, named after us, unless the variables say otherwise
              .addPropertiesSupplier(
                  () ->
                      Map.of(
                          "otel.service.name", "agent-hive",
                          "otel.metrics.exporter", "none",
                          "otel.logs.exporter", "none"))
              .build()
              .getOpenTelemetrySdk();
      use(sdk);
      CoordinatedShutdown.get(system.classicSystem())
          .addTask(
              CoordinatedShutdown.PhaseBeforeActorSystemTerminate(),
              "flush-traces",
              () ->
                  CompletableFuture.supplyAsync(
                      () -> {
                        sdk.close(); // flushes what the batch processor holds
                        return Done.getInstance();
                      }));
    }
  }

  /** Whether the environment asks for traces: an exporter other than none, or an endpoint. */
  static boolean wanted(Map<String, String> env) {
    if ("true".equalsIgnoreCase(env.getOrDefault("OTEL_SDK_DISABLED", ""))) {
      return false;
    }
    String exporter = env.getOrDefault("OTEL_TRACES_EXPORTER", "");
    if (!exporter.isBlank()) {
      return !exporter.trim().equalsIgnoreCase("none");
    }
    return !env.getOrDefault("OTEL_EXPORTER_OTLP_ENDPOINT", "").isBlank()
        || !env.getOrDefault("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "").isBlank();
  }

  public static HiveTracing get(ActorSystem<?> system) {
    return Id.INSTANCE.apply(system);
  }

  /** Traces through {@code telemetry} from now on (the tests give an in-memory exporter). */
  public void use(OpenTelemetry telemetry) {
    this.telemetry = telemetry;
    this.tracer = telemetry.getTracer(SCOPE);
    this.enabled = true;
  }

  public boolean enabled() {
    return enabled;
  }

  public OpenTelemetry telemetry() {
    return telemetry;
  }

  public Tracer tracer() {
    return tracer;
  }

  /**
   * A submission is about to be journaled: its {@code task} span starts, under the request's {@code
   * traceparent} (null: a trace of its own). False when the task already has one (an idempotent
   * repeat), so that the caller leaves it alone.
   */
  public boolean submitting(String taskId, String traceparent) {
    if (!enabled) {
      return false;
    }
    Context parent = Traceparent.parent(telemetry, traceparent);
    return tasks.start(
        taskId,
        () ->
            tracer
                .spanBuilder("task")
                .setParent(parent)
                .setSpanKind(SpanKind.INTERNAL)
                .setAttribute("hive.task.id", taskId)
                .startSpan());
  }

  /** The submission this call started was refused, or found an existing task: no span stays. */
  public void submissionEnded(String taskId, Throwable refused) {
    if (!enabled) {
      return;
    }
    Span span = tasks.end(taskId);
    if (span != null && refused != null) {
      span.setStatus(StatusCode.ERROR, String.valueOf(refused.getMessage()));
    }
    if (span != null) {
      span.end();
    }
  }

  /** An attempt starts on an agent of this node. */
  public void runStarted(String taskId, int attempt, String agentId, String skill) {
    if (!enabled) {
      return;
    }
    tasks.startRun(taskId, tracer, attempt, agentId, skill);
  }

  /** The attempt ended: {@code outcome} names how; {@code ok} whether it succeeded. */
  public void runEnded(String taskId, String outcome, boolean ok) {
    if (!enabled) {
      return;
    }
    tasks.endRun(taskId, outcome, ok);
  }

  /** The task reached {@code status}, a final one: its span ends. */
  public void taskEnded(String taskId, String status, boolean ok) {
    if (!enabled) {
      return;
    }
    Span span = tasks.end(taskId);
    if (span != null) {
      span.setAttribute("hive.task.status", status);
      if (!ok) {
        span.setStatus(StatusCode.ERROR, status);
      }
      span.end();
    }
  }

  /**
   * A span for a skill's outgoing call during {@code taskId}'s current attempt, and the {@code
   * traceparent} to send with it; an invalid span and null when off or unknown here.
   */
  public OutgoingCall outgoing(String taskId, String name) {
    if (!enabled) {
      return OutgoingCall.NONE;
    }
    Span run = tasks.run(taskId);
    Context parent = run == null ? Context.root() : Context.root().with(run);
    Span call = tracer.spanBuilder(name).setParent(parent).setSpanKind(SpanKind.CLIENT).startSpan();
    return new OutgoingCall(call, Traceparent.of(telemetry, call));
  }

  /** The current attempt's {@code traceparent}, for a remote worker; null when off or unknown. */
  public String runTraceparent(String taskId) {
    if (!enabled) {
      return null;
    }
    Span run = tasks.run(taskId);
    return run == null ? null : Traceparent.of(telemetry, run);
  }

  /** A skill call's span and the header value that carries it. */
  public record OutgoingCall(Span span, String traceparent) {
    static final OutgoingCall NONE = new OutgoingCall(Span.getInvalid(), null);

    public void end(boolean ok, String error) {
      if (!ok) {
        span.setStatus(StatusCode.ERROR, error == null ? "failed" : error);
      }
      span.end();
    }
  }

  private static final class Id extends ExtensionId<HiveTracing> {
    static final Id INSTANCE = new Id();

    @Override
    public HiveTracing createExtension(ActorSystem<?> system) {
      return new HiveTracing(system);
    }
  }
}
