package io.agenthive.tracing;

import static org.junit.jupiter.api.Assertions.*;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The open spans of tasks stay bounded, and every span they start is ended. */
class TaskSpansTest {
  private final InMemorySpanExporter exported = InMemorySpanExporter.create();
  private final Tracer tracer =
      SdkTracerProvider.builder()
          .addSpanProcessor(SimpleSpanProcessor.create(exported))
          .build()
          .get("test");
  private final TaskSpans spans = new TaskSpans();

  private List<SpanData> named(String name) {
    return exported.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name)).toList();
  }

  @Test
  void aTaskWhoseEndIsNeverSeenHereIsEndedAsUnknownBySweep() {
    assertTrue(spans.start("t1", () -> tracer.spanBuilder("task").startSpan()));
    assertFalse(spans.start("t1", () -> tracer.spanBuilder("task").startSpan()), "one per task");
    spans.startRun("t1", tracer, 1, "a1", "noop");
    spans.sweep(System.nanoTime() + 1); // everything open is older than that
    assertEquals(0, spans.size());
    assertEquals(
        "unknown",
        named("task").get(0).getAttributes().get(AttributeKey.stringKey("hive.task.status")));
    assertEquals(1, named("task.run").size(), "its attempt ended with it");
    assertEquals(1, named("task").size(), "the refused second start made no span");
  }

  @Test
  void anAttemptNeverToldToEndIsEndedByTheNextAndLinkedFromIt() {
    spans.start("t2", () -> tracer.spanBuilder("task").startSpan());
    spans.startRun("t2", tracer, 1, "a1", "noop");
    spans.startRun("t2", tracer, 2, "a1", "noop"); // the agent restarted: attempt 1 never ended
    spans.endRun("t2", "finished", true);
    List<SpanData> runs = named("task.run");
    assertEquals(2, runs.size());
    assertEquals(
        runs.get(0).getSpanId(), runs.get(1).getLinks().get(0).getSpanContext().getSpanId());
    assertNotNull(spans.end("t2"));
  }
}
