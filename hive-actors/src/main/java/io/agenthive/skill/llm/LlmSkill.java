package io.agenthive.skill.llm;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.DispatcherSelector;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.NonRetriableException;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.ollama.OllamaStreamingChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.langchain4j.model.output.TokenUsage;
import io.agenthive.common.HiveLimits;
import io.agenthive.live.LiveText;
import io.agenthive.metrics.HiveMetrics;
import io.agenthive.skill.Skill;
import io.agenthive.skill.SkillContext;
import io.agenthive.skill.SkillRequest;
import io.agenthive.skill.SkillResult;
import io.agenthive.skill.guard.EgressPolicy;
import io.agenthive.skill.guard.EndpointGuard;
import io.agenthive.skill.guard.EndpointGuards;
import io.agenthive.skill.guard.GuardSettings;
import io.agenthive.skill.guard.ProviderFailure;
import io.agenthive.skill.tools.AgentTools;
import io.agenthive.skill.tools.ToolCaller;
import io.agenthive.tracing.HiveTracing;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The {@code llm} skill: one streamed chat completion per attempt through LangChain4j's streaming
 * models, against any OpenAI-compatible server (OpenAI, vLLM, LM Studio, Ollama's /v1: SSE chunks)
 * or Ollama's own API (NDJSON lines). The task's input fills the agent's prompt template. Each
 * piece of text goes to the attempt's {@link LiveText} as it arrives (followed through {@code GET
 * /api/tasks/{id}/stream}); only the whole answer is the attempt's output. Our transport ({@link
 * ProviderHttpClient}) reads the stream on the calling thread, so calls run on {@code
 * hive.skills.llm-dispatcher}; LangChain4j's own retries are off, because the task's retry policy
 * (journaled, visible) decides. Each endpoint sits behind an {@link EndpointGuard}.
 *
 * <p>Output: {@code {answer, model, usage: {input_tokens, output_tokens, total_tokens}}}; the total
 * also counts on the agent ({@code tokens_used}). An agent whose config lists {@code tools} runs a
 * bounded {@link ToolLoop} instead of one call; its output adds {@code steps} and {@code
 * tool_calls}, and its usage counts every step.
 */
public final class LlmSkill implements Skill {
  public static final String NAME = "llm";
  private final LlmConfig config;
  private final StreamingChatModel model;
  private final EndpointGuard guard;
  private final Executor blocking;
  private final HiveMetrics metrics;
  private final HiveTracing tracing;
  private final EgressPolicy egress;
  private final String agentId;
  private final ToolLoop tools;

  LlmSkill(SkillContext context, LlmConfig config) {
    this.config = config;
    this.agentId = context.agentId();
    this.egress = EgressPolicy.get(context.system());
    this.model = build(config, HiveLimits.get(context.system()).maxOutputBytes(), egress);
    ActorSystem<?> system = context.system();
    this.metrics = HiveMetrics.get(system);
    this.tracing = HiveTracing.get(system);
    GuardSettings defaults =
        GuardSettings.from(system.settings().config())
            .withCallTimeout(config.timeout().plusSeconds(1));
    this.guard =
        EndpointGuards.get(system)
            .forUrl(
                config.baseUrl(),
                config.requestsPerSecond() == null
                    ? defaults
                    : defaults.withRequestsPerSecond(config.requestsPerSecond()));
    this.blocking =
        system.dispatchers().lookup(DispatcherSelector.fromConfig("hive.skills.llm-dispatcher"));
    var toolSettings = system.settings().config().getConfig("hive.tools");
    this.tools =
        config.tools() == null
            ? null
            : new ToolLoop(
                config.tools(),
                AgentTools.get(system)::served,
                egress,
                system.dispatchers().lookup(DispatcherSelector.fromConfig("hive.tools.dispatcher")),
                toolSettings.getDuration("mcp-request-timeout"),
                (int) Math.min(Integer.MAX_VALUE, toolSettings.getBytes("max-result-bytes")),
                (int) Math.min(Integer.MAX_VALUE, toolSettings.getBytes("mcp-max-answer-bytes")));
  }

  private static StreamingChatModel build(LlmConfig c, long maxAnswerBytes, EgressPolicy egress) {
    if (LlmConfig.OLLAMA.equals(c.provider())) {
      return OllamaStreamingChatModel.builder()
          .baseUrl(c.baseUrl())
          .modelName(c.model())
          .temperature(c.temperature())
          .numPredict(c.maxTokens())
          .timeout(c.timeout())
          .httpClientBuilder(new ProviderHttpClient.Builder(maxAnswerBytes, egress))
          .build();
    }
    // a journal from before the allowlist may name any variable: only allowed ones are read
    String key = egress.secretEnvAllowed(c.apiKeyEnv()) ? System.getenv(c.apiKeyEnv()) : null;
    return OpenAiStreamingChatModel.builder()
        .baseUrl(c.baseUrl())
        .modelName(c.model())
        // local servers take any key; a missing one must not stop the request being sent
        .apiKey(key == null || key.isBlank() ? "not-needed" : key)
        .temperature(c.temperature())
        .maxTokens(c.maxTokens())
        .timeout(c.timeout())
        .httpClientBuilder(new ProviderHttpClient.Builder(maxAnswerBytes, egress))
        .build();
  }

  @Override
  public Optional<Duration> failingFastFor() {
    return guard.failingFastFor();
  }

  @Override
  public AutoCloseable whenFailingFast(Runnable listener) {
    return guard.whenOpen(listener);
  }

  @Override
  public CompletionStage<SkillResult> execute(SkillRequest request) {
    return execute(request, new CompletableFuture<>(), LiveText.NONE);
  }

  @Override
  public CompletionStage<SkillResult> execute(
      SkillRequest request, CompletionStage<Void> abandoned, LiveText live) {
    List<ChatMessage> messages = new ArrayList<>();
    if (config.systemPrompt() != null) {
      messages.add(SystemMessage.from(config.systemPrompt()));
    }
    messages.add(UserMessage.from(PromptTemplate.fill(config.promptTemplate(), request)));
    // named and described as OpenTelemetry's generative-AI conventions say
    HiveTracing.OutgoingCall call = tracing.outgoing(request.taskId(), "chat " + config.model());
    if (call.traceparent() != null) {
      call.span()
          .setAttribute("gen_ai.operation.name", "chat")
          .setAttribute("gen_ai.system", config.provider())
          .setAttribute("gen_ai.request.model", config.model());
    }
    if (tools != null) {
      return tools
          .run(
              messages,
              chatRequest -> guarded(chatRequest, call.traceparent(), abandoned, live),
              new ToolCaller(
                  agentId, config.tools().role(), request.taskId(), request.runId(), null),
              request.deadline(),
              abandoned)
          .thenApply(done -> toResult(done.last(), done.usage(), call, done))
          .exceptionally(SkillResult::ofFailure)
          .whenComplete((r, e) -> call.end(r != null && r.success(), r == null ? null : r.error()));
    }
    return guarded(
            ChatRequest.builder().messages(messages).build(), call.traceparent(), abandoned, live)
        .thenApply(response -> toResult(response, response.tokenUsage(), call, null))
        .exceptionally(SkillResult::ofFailure)
        .whenComplete((r, e) -> call.end(r != null && r.success(), r == null ? null : r.error()));
  }

  /** One model call behind the endpoint's guard, read on the llm dispatcher. */
  private CompletionStage<ChatResponse> guarded(
      ChatRequest chatRequest, String traceparent, CompletionStage<Void> abandoned, LiveText live) {
    return guard.call(
        () ->
            CompletableFuture.supplyAsync(
                () -> chat(chatRequest, traceparent, abandoned, live), blocking));
  }

  /**
   * The whole answer, each piece told to {@code live} on the way. Our transport reads the stream on
   * this thread, so the answer is in when {@code chat} returns; a transport that handed the reading
   * to another thread would still be bounded by the endpoint guard's call timeout.
   */
  private ChatResponse chat(
      ChatRequest messages, String traceparent, CompletionStage<Void> abandoned, LiveText live) {
    CompletableFuture<ChatResponse> answer = new CompletableFuture<>();
    ProviderHttpClient.TRACEPARENT.set(traceparent);
    // a given-up attempt closes its stream: it stops reading and telling a live output gone
    ProviderHttpClient.ABANDONED.set(abandoned);
    try {
      model.chat(
          messages,
          new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String text) {
              live.append(text);
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
              answer.complete(response);
            }

            @Override
            public void onError(Throwable error) {
              answer.completeExceptionally(error);
            }
          });
      // allowed: the llm dispatcher blocks; bounded in case the model never calls back
      return answer.get(config.timeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw classify(
          e.getCause() instanceof RuntimeException r ? r : new RuntimeException(e.getCause()));
    } catch (TimeoutException e) {
      throw ProviderFailure.transientError("LLM stream did not end within " + config.timeout());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ProviderFailure.transientError("interrupted while calling the LLM endpoint");
    } catch (RuntimeException e) {
      throw classify(e);
    } finally {
      ProviderHttpClient.TRACEPARENT.remove();
      ProviderHttpClient.ABANDONED.remove();
    }
  }

  /** LangChain4j's exceptions as retryable (429, 5xx, timeouts, I/O) or final (other 4xx). */
  static ProviderFailure classify(RuntimeException e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof ProviderFailure f) {
        return f;
      }
      if (c instanceof HttpException http) {
        return ProviderFailure.ofStatus(
            http.statusCode(),
            "LLM endpoint answered "
                + http.statusCode()
                + ": "
                + ProviderFailure.abbreviate(http.getMessage()),
            null);
      }
    }
    if (e instanceof NonRetriableException) {
      return new ProviderFailure("LLM request rejected: " + e.getMessage(), 0, false, null);
    }
    return ProviderFailure.transientError(
        "LLM call failed: "
            + e.getClass().getSimpleName()
            + ": "
            + ProviderFailure.abbreviate(e.getMessage()));
  }

  private SkillResult toResult(
      ChatResponse response,
      TokenUsage usage,
      HiveTracing.OutgoingCall call,
      ToolLoop.Finished loop) {
    ObjectNode out =
        JsonNodeFactory.instance
            .objectNode()
            .put("answer", response.aiMessage().text())
            .put("model", response.modelName() != null ? response.modelName() : config.model());
    if (loop != null) {
      out.put("steps", loop.steps());
      var calls = out.putArray("tool_calls");
      loop.calls().forEach(c -> calls.add(c.toJson()));
    }
    long total = 0;
    if (usage != null) {
      ObjectNode u = out.putObject("usage");
      u.put("input_tokens", orZero(usage.inputTokenCount()));
      u.put("output_tokens", orZero(usage.outputTokenCount()));
      total =
          usage.totalTokenCount() != null
              ? usage.totalTokenCount()
              : orZero(usage.inputTokenCount()) + orZero(usage.outputTokenCount());
      u.put("total_tokens", total);
      metrics.llmTokens(
          out.get("model").asText(),
          orZero(usage.inputTokenCount()),
          orZero(usage.outputTokenCount()));
      if (call.traceparent() != null) {
        call.span()
            .setAttribute("gen_ai.response.model", out.get("model").asText())
            .setAttribute("gen_ai.usage.input_tokens", (long) orZero(usage.inputTokenCount()))
            .setAttribute("gen_ai.usage.output_tokens", (long) orZero(usage.outputTokenCount()));
      }
    }
    if (loop != null && !loop.awaiting().isEmpty()) {
      out.putArray("awaiting").addAll(loop.awaiting().stream().map(out::textNode).toList());
      return SkillResult.awaiting(out, total, loop.awaiting());
    }
    return SkillResult.succeeded(out, null, total);
  }

  private static int orZero(Integer n) {
    return n == null ? 0 : n;
  }
}
