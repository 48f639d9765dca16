package io.agenthive.http;

import static org.junit.jupiter.api.Assertions.*;

import com.sun.net.httpserver.HttpServer;
import io.agenthive.skill.ProviderStandIn;
import io.agenthive.skill.ProviderStandIn.Reply;
import io.agenthive.testing.Eventually;
import io.agenthive.tracing.HiveTracing;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One task's trace on a real hub with an in-memory exporter: the caller's traceparent, the HTTP
 * span, the task's span, its attempts and the http skill's call form one tree, and the endpoint
 * receives the call span's traceparent. A retry's attempt links to the one before. An {@code llm}
 * agent's chat call is a client span too, and its provider receives that span's traceparent.
 */
@Tag("database-neutral") // spans and traceparents: the same on every database
class TracingTest {
  private static final AttributeKey<String> TASK_ID = AttributeKey.stringKey("hive.task.id");
  private static final String CALLER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String CALLER_SPAN = "00f067aa0ba902b7";
  @TempDir static Path dataDir;
  static ApiTestHub hub;
  static InMemorySpanExporter spans = InMemorySpanExporter.create();
  static HttpServer endpoint;
  static final List<String> received = new CopyOnWriteArrayList<>();
  static final AtomicInteger failFirst = new AtomicInteger();

  @BeforeAll
  static void start() throws Exception {
    hub = ApiTestHub.start("TracingTest", dataDir, "");
    HiveTracing.get(hub.kit.system())
        .use(
            OpenTelemetrySdk.builder()
                .setTracerProvider(
                    SdkTracerProvider.builder()
                        .addSpanProcessor(SimpleSpanProcessor.create(spans))
                        .build())
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .build());
    endpoint = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    endpoint.createContext(
        "/hook",
        exchange -> {
          received.add(exchange.getRequestHeaders().getFirst("traceparent"));
          boolean fail = failFirst.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
          byte[] body = "{\"ok\": true}".getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(fail ? 503 : 200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    endpoint.start();
  }

  @AfterAll
  static void stop() {
    endpoint.stop(0);
    hub.stop();
  }

  private static String agent(String capability) throws Exception {
    var r =
        hub.http.post(
            "/api/agents",
            "{\"name\": \"hook-"
                + capability.replace('.', '-')
                + "\", \"type\": \"worker\", \"skill\": {\"name\": \"http\", \"config\": {\"url\":"
                + " \"http://127.0.0.1:"
                + endpoint.getAddress().getPort()
                + "/hook\"}}, \"capabilities\": [{\"name\": \""
                + capability
                + "\", \"proficiency\": 0.9}]}");
    assertEquals(201, r.status(), r.body());
    return r.json().get("id").asText();
  }

  private static String runTask(String capability, String extra, String... headers)
      throws Exception {
    var task =
        hub.http.post(
            "/api/tasks",
            "{\"title\": \"traced\", "
                + extra
                + "\"required_capabilities\": [{\"name\": \""
                + capability
                + "\"}]}",
            headers);
    assertEquals(201, task.status(), task.body());
    String id = task.json().get("id").asText();
    hub.http.getUntil(
        "/api/tasks/" + id, r -> "completed".equals(r.json().path("status").asText()), id);
    return id;
  }

  /** The ended spans of the task {@code id}'s trace, once its task span has ended. */
  private static List<SpanData> traceOf(String id) {
    try {
      return awaitTrace(id);
    } catch (AssertionError e) {
      throw new AssertionError(
          e.getMessage() + " for " + id + "; ended spans: " + spans.getFinishedSpanItems(), e);
    }
  }

  private static List<SpanData> awaitTrace(String id) {
    return Eventually.eventually(
        () -> {
          SpanData task =
              spans.getFinishedSpanItems().stream()
                  .filter(s -> s.getName().equals("task"))
                  .filter(s -> id.equals(s.getAttributes().get(TASK_ID)))
                  .findFirst()
                  .orElse(null);
          if (task == null) {
            return null;
          }
          return spans.getFinishedSpanItems().stream()
              .filter(s -> s.getTraceId().equals(task.getTraceId()))
              .toList();
        },
        "the task's span ends");
  }

  private static SpanData named(List<SpanData> trace, String name) {
    return trace.stream()
        .filter(s -> s.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no span " + name + " in " + trace));
  }

  @Test
  void oneTaskIsOneTreeFromTheCallersSpanToTheSkillsCall() throws Exception {
    agent("trace.one");
    String id =
        runTask("trace.one", "", "traceparent", "00-" + CALLER_TRACE + "-" + CALLER_SPAN + "-01");
    List<SpanData> trace = traceOf(id);
    SpanData http = named(trace, "POST /api/tasks");
    SpanData task = named(trace, "task");
    SpanData run = named(trace, "task.run");
    SpanData call =
        trace.stream()
            .filter(s -> s.getKind() == SpanKind.CLIENT)
            .findFirst()
            .orElseThrow(() -> new AssertionError("no client span in " + trace));
    assertEquals(CALLER_TRACE, http.getTraceId(), "the caller's trace continues");
    assertEquals(CALLER_SPAN, http.getParentSpanId());
    assertEquals(SpanKind.SERVER, http.getKind());
    assertEquals(201L, http.getAttributes().get(AttributeKey.longKey("http.response.status_code")));
    assertEquals(http.getSpanId(), task.getParentSpanId(), "the task under its request");
    assertEquals(task.getSpanId(), run.getParentSpanId(), "the attempt under its task");
    assertEquals(run.getSpanId(), call.getParentSpanId(), "the skill's call under the attempt");
    assertTrue(
        received.contains("00-" + CALLER_TRACE + "-" + call.getSpanId() + "-01"),
        "the endpoint got the call's traceparent: " + received);
  }

  @Test
  void aRetriedAttemptLinksToTheOneBefore() throws Exception {
    agent("trace.retry");
    failFirst.set(1);
    String id = runTask("trace.retry", "\"max_attempts\": 3, ");
    List<SpanData> runs = traceOf(id).stream().filter(s -> s.getName().equals("task.run")).toList();
    assertEquals(2, runs.size(), runs.toString());
    SpanData second =
        runs.get(0).getEndEpochNanos() > runs.get(1).getEndEpochNanos() ? runs.get(0) : runs.get(1);
    SpanData first = second == runs.get(0) ? runs.get(1) : runs.get(0);
    assertEquals(1, second.getLinks().size(), "the retry links to the first attempt");
    assertEquals(first.getSpanId(), second.getLinks().get(0).getSpanContext().getSpanId());
  }

  @Test
  void anLlmCallIsAClientSpanUnderItsAttemptAndTheProviderGetsItsTraceparent() throws Exception {
    try (ProviderStandIn provider =
        new ProviderStandIn(hub.kit.system(), Reply.status(500, "{\"error\":\"unscripted\"}"))) {
      provider.answerWith(WorkflowTest::echo);
      var r =
          hub.http.post(
              "/api/agents",
              "{\"name\": \"traced-llm\", \"type\": \"worker\", \"skill\": {\"name\": \"llm\","
                  + " \"config\": {\"base_url\": \""
                  + provider.url("/v1")
                  + "\", \"model\": \"stand-in-1\", \"api_key_env\": \"HOME\"}},"
                  + " \"capabilities\": [{\"name\": \"trace.llm\", \"proficiency\": 0.9}]}");
      assertEquals(201, r.status(), r.body());
      String id = runTask("trace.llm", "\"input\": \"hello\", ");
      List<SpanData> trace = traceOf(id);
      SpanData run = named(trace, "task.run");
      SpanData call = named(trace, "chat stand-in-1");
      assertEquals(SpanKind.CLIENT, call.getKind());
      assertEquals(run.getSpanId(), call.getParentSpanId(), "the call under the attempt");
      assertEquals(
          "stand-in-1", call.getAttributes().get(AttributeKey.stringKey("gen_ai.request.model")));
      assertEquals(
          10L, call.getAttributes().get(AttributeKey.longKey("gen_ai.usage.input_tokens")));
      assertEquals(
          5L, call.getAttributes().get(AttributeKey.longKey("gen_ai.usage.output_tokens")));
      // the flags vary (a trace the hub started also says its id is random), the ids must not
      List<String> sent = provider.traceparents();
      assertEquals(1, sent.size(), sent.toString());
      assertTrue(
          sent.get(0).startsWith("00-" + call.getTraceId() + "-" + call.getSpanId() + "-"),
          "the provider got the call's traceparent: " + sent);
    }
  }
}
