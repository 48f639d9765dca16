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
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.ollama.OllamaChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.output.TokenUsage;
import io.agenthive.common.HiveLimits;
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
import io.agenthive.tracing.HiveTracing;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * The {@code llm} skill: one chat completion per attempt through LangChain4j, against any
 * OpenAI-compatible server (OpenAI, vLLM, LM Studio, Ollama's /v1) or Ollama's own API. The task's
 * input fills the agent's prompt template. LangChain4j's client blocks, so calls run on {@code
 * hive.skills.llm-dispatcher}; its own retries are off, because the task's retry policy (journaled,
 * visible) decides. Each endpoint sits behind an {@link EndpointGuard}.
 *
 * <p>Output: {@code {answer, model, usage: {input_tokens, output_tokens, total_tokens}}}; the total
 * also counts on the agent ({@code tokens_used}).
 */
public final class LlmSkill implements Skill {
  public static final String NAME = "llm";
  private final LlmConfig config;
  private final ChatModel model;
  private final EndpointGuard guard;
  private final Executor blocking;
  private final HiveMetrics metrics;
  private final HiveTracing tracing;
  private final EgressPolicy egress;

  LlmSkill(SkillContext context, LlmConfig config) {
    this.config = config;
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
  }

  private static ChatModel build(LlmConfig c, long maxAnswerBytes, EgressPolicy egress) {
    if (LlmConfig.OLLAMA.equals(c.provider())) {
      return OllamaChatModel.builder()
          .baseUrl(c.baseUrl())
          .modelName(c.model())
          .temperature(c.temperature())
          .numPredict(c.maxTokens())
          .timeout(c.timeout())
          .maxRetries(0)
          .httpClientBuilder(new ProviderHttpClient.Builder(maxAnswerBytes, egress))
          .build();
    }
    // a journal from before the allowlist may name any variable: only allowed ones are read
    String key = egress.secretEnvAllowed(c.apiKeyEnv()) ? System.getenv(c.apiKeyEnv()) : null;
    return OpenAiChatModel.builder()
        .baseUrl(c.baseUrl())
        .modelName(c.model())
        // local servers take any key; a missing one must not stop the request being sent
        .apiKey(key == null || key.isBlank() ? "not-needed" : key)
        .temperature(c.temperature())
        .maxTokens(c.maxTokens())
        .timeout(c.timeout())
        .maxRetries(0)
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
    return guard
        .call(
            () -> CompletableFuture.supplyAsync(() -> chat(messages, call.traceparent()), blocking))
        .thenApply(response -> toResult(response, call))
        .exceptionally(SkillResult::ofFailure)
        .whenComplete((r, e) -> call.end(r != null && r.success(), r == null ? null : r.error()));
  }

  private ChatResponse chat(List<ChatMessage> messages, String traceparent) {
    ProviderHttpClient.TRACEPARENT.set(traceparent);
    try {
      return model.chat(messages);
    } catch (RuntimeException e) {
      throw classify(e);
    } finally {
      ProviderHttpClient.TRACEPARENT.remove();
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

  private SkillResult toResult(ChatResponse response, HiveTracing.OutgoingCall call) {
    ObjectNode out =
        JsonNodeFactory.instance
            .objectNode()
            .put("answer", response.aiMessage().text())
            .put("model", response.modelName() != null ? response.modelName() : config.model());
    TokenUsage usage = response.tokenUsage();
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
    return SkillResult.succeeded(out, null, total);
  }

  private static int orZero(Integer n) {
    return n == null ? 0 : n;
  }
}
