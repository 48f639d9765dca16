package io.agenthive.skill.llm;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import io.agenthive.skill.guard.EgressPolicy;
import io.agenthive.skill.guard.ProviderFailure;
import io.agenthive.skill.tools.HiveToolbox;
import io.agenthive.skill.tools.ToolAnswer;
import io.agenthive.skill.tools.ToolCallRecord;
import io.agenthive.skill.tools.ToolCaller;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * One attempt's bounded tool loop: model, then the tools it asked for, then the model again with
 * their answers, until it answers without asking (the attempt's answer), it has been called {@code
 * max_steps} times (the attempt fails, for good: another attempt would loop the same way), or the
 * loop's wall time has passed. Tools run one after another on the llm dispatcher; every call is
 * recorded ({@link ToolCallRecord}); each step's tokens add up to the attempt's. At most {@code
 * max_calls_per_step} calls of one answer run, and none once the attempt is given up or the loop's
 * time is up (each is refused, and the model told). Tools run on {@code hive.tools.dispatcher}, not
 * the model calls' own: a tool that waits (wait_for_task) never holds back a model call. The
 * attempt is the unit of durability: a crash mid-loop runs the attempt again, so tools see
 * at-least-once calls, each with the attempt's id to deduplicate on.
 */
final class ToolLoop {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * How the loop ended well: the model's last answer, all steps' tokens, every call; {@code
   * awaiting}, the subtasks an {@code await_subtasks} call said to wait for (then the last answer
   * is the one that asked for it, and the attempt ends awaiting them).
   */
  record Finished(
      ChatResponse last,
      TokenUsage usage,
      List<ToolCallRecord> calls,
      int steps,
      List<String> awaiting) {}

  private final ToolsConfig config;
  private final Function<Duration, CompletionStage<HiveToolbox>> hive;
  private final EgressPolicy egress;
  private final Executor blocking;
  private final Duration mcpTimeout;
  private final int maxResultBytes;
  private final int maxAnswerBytes;

  ToolLoop(
      ToolsConfig config,
      Function<Duration, CompletionStage<HiveToolbox>> hive,
      EgressPolicy egress,
      Executor blocking,
      Duration mcpTimeout,
      int maxResultBytes,
      int maxAnswerBytes) {
    this.config = config;
    this.hive = hive;
    this.egress = egress;
    this.blocking = blocking;
    this.mcpTimeout = mcpTimeout;
    this.maxResultBytes = maxResultBytes;
    this.maxAnswerBytes = maxAnswerBytes;
  }

  /**
   * Runs the loop from {@code messages}; {@code chat} makes one guarded model call. {@code
   * deadline}: the attempt's own, when it is earlier than the loop's wall.
   */
  CompletionStage<Finished> run(
      List<ChatMessage> messages,
      Function<ChatRequest, CompletionStage<ChatResponse>> chat,
      ToolCaller caller,
      Instant deadline,
      CompletionStage<Void> abandoned) {
    Instant end = earlier(Instant.now().plus(config.maxWall()), deadline);
    return CompletableFuture.supplyAsync(() -> connect(end), blocking)
        // after the connect, so a failed one fails at once; the run goes on on the tool
        // dispatcher, not on the thread that installed the toolbox or timed the wait out
        .thenCompose(
            servers -> toolbox(end).thenApplyAsync(box -> new Connected(servers, box), blocking))
        .thenCompose(
            connected -> {
              List<McpToolSource> servers = connected.servers();
              try {
                HiveToolbox box = connected.hive();
                Run run =
                    new Run(
                        box,
                        new ToolMenu(box.tools(), config.hive(), servers),
                        servers,
                        caller,
                        end,
                        chat,
                        abandoned,
                        new ArrayList<>(messages));
                return run.step(1, new TokenUsage(0, 0, 0))
                    .whenComplete((r, e) -> servers.forEach(McpToolSource::close));
              } catch (RuntimeException e) {
                servers.forEach(McpToolSource::close);
                throw e;
              }
            });
  }

  private List<McpToolSource> connect(Instant end) {
    List<McpToolSource> servers = new ArrayList<>();
    try {
      for (ToolsConfig.McpServer s : config.mcp()) {
        servers.add(McpToolSource.connect(s, egress, remaining(end), maxAnswerBytes));
      }
      return servers;
    } catch (RuntimeException e) {
      servers.forEach(McpToolSource::close);
      throw e;
    }
  }

  private record Connected(List<McpToolSource> servers, HiveToolbox hive) {}

  /**
   * The hive's own tools for one run, read at each run: the HTTP module installs them once it
   * serves the API, after the node's agents may have started. A run that offers any waits for them
   * as long as it would for an MCP server's connect.
   */
  private CompletionStage<HiveToolbox> toolbox(Instant end) {
    Duration left = Duration.between(Instant.now(), end);
    Duration wait =
        config.hive().isEmpty() || left.isNegative()
            ? Duration.ZERO
            : left.compareTo(mcpTimeout) < 0 ? left : mcpTimeout;
    return hive.apply(wait);
  }

  private Duration remaining(Instant end) {
    Duration left = Duration.between(Instant.now(), end);
    if (left.isNegative() || left.isZero()) {
      throw ProviderFailure.transientError("the tool loop ran out of its wall time");
    }
    return left.compareTo(mcpTimeout) < 0 ? left : mcpTimeout;
  }

  private static Instant earlier(Instant a, Instant b) {
    return b == null || a.isBefore(b) ? a : b;
  }

  /** One loop's moving parts. */
  private final class Run {
    final HiveToolbox hive;
    final ToolMenu menu;
    final List<McpToolSource> servers;
    final ToolCaller caller;
    final Instant end;
    final Function<ChatRequest, CompletionStage<ChatResponse>> chat;
    final CompletionStage<Void> abandoned;
    final List<ChatMessage> messages;
    final List<ToolCallRecord> calls = new ArrayList<>();
    // subtasks an await_subtasks call named: the loop ends once this step's calls are done
    final java.util.Set<String> awaiting = new java.util.LinkedHashSet<>();

    Run(
        HiveToolbox hive,
        ToolMenu menu,
        List<McpToolSource> servers,
        ToolCaller caller,
        Instant end,
        Function<ChatRequest, CompletionStage<ChatResponse>> chat,
        CompletionStage<Void> abandoned,
        List<ChatMessage> messages) {
      this.hive = hive;
      this.menu = menu;
      this.servers = servers;
      this.caller = caller;
      this.end = end;
      this.chat = chat;
      this.abandoned = abandoned;
      this.messages = messages;
    }

    CompletionStage<Finished> step(int n, TokenUsage usage) {
      if (abandoned.toCompletableFuture().isDone()) {
        return CompletableFuture.failedFuture(
            ProviderFailure.transientError("the attempt was given up during its tool loop"));
      }
      if (!Instant.now().isBefore(end)) {
        return CompletableFuture.failedFuture(
            ProviderFailure.transientError(
                "the tool loop ran past its wall time after " + (n - 1) + " model calls" + made()));
      }
      ChatRequest request =
          ChatRequest.builder()
              .messages(List.copyOf(messages))
              .toolSpecifications(menu.specifications())
              .build();
      return chat.apply(request)
          .thenCompose(
              response -> {
                TokenUsage sum = TokenUsage.sum(usage, response.tokenUsage());
                if (!response.aiMessage().hasToolExecutionRequests()) {
                  return CompletableFuture.completedFuture(
                      new Finished(response, sum, List.copyOf(calls), n, List.of()));
                }
                if (n >= config.maxSteps()) {
                  return CompletableFuture.failedFuture(
                      new ProviderFailure(
                          "the tool loop reached its step limit of "
                              + config.maxSteps()
                              + " model calls without an answer"
                              + made(),
                          0,
                          false,
                          null));
                }
                messages.add(response.aiMessage());
                return CompletableFuture.supplyAsync(
                        () -> callAll(n, response.aiMessage().toolExecutionRequests()), blocking)
                    .thenCompose(
                        done ->
                            awaiting.isEmpty()
                                ? step(n + 1, sum)
                                : CompletableFuture.completedFuture(
                                    new Finished(
                                        response,
                                        sum,
                                        List.copyOf(calls),
                                        n,
                                        List.copyOf(awaiting))));
              });
    }

    private Void callAll(int step, List<ToolExecutionRequest> requests) {
      int index = 0;
      for (ToolExecutionRequest r : requests) {
        index++;
        String refusal =
            index > config.maxCallsPerStep()
                ? "refused: at most "
                    + config.maxCallsPerStep()
                    + " tool calls are run from one answer; ask again for the rest"
                : abandoned.toCompletableFuture().isDone()
                    ? "refused: the attempt was given up"
                    : !Instant.now().isBefore(end) ? "refused: the tool loop's time is up" : null;
        if (refusal != null) {
          calls.add(new ToolCallRecord(step, r.name(), "none", digest(r), 0, "refused", refusal));
          messages.add(ToolExecutionResultMessage.from(r, refusal));
        } else {
          messages.add(ToolExecutionResultMessage.from(r, call(step, index, r)));
        }
      }
      return null;
    }

    /** One call, recorded; what the model is told back. */
    private String call(int step, int index, ToolExecutionRequest request) {
      long started = System.nanoTime();
      String digest = digest(request);
      ToolMenu.Entry entry = menu.find(request.name());
      if (entry == null) {
        String refusal = menu.refusal(request.name(), servers);
        calls.add(new ToolCallRecord(step, request.name(), "none", digest, 0, "refused", refusal));
        return refusal;
      }
      ToolAnswer answer;
      Map<String, Object> arguments = arguments(request.arguments());
      if (arguments == null) {
        answer = ToolAnswer.error("the arguments must be a JSON object");
      } else if (entry.source() == null) {
        answer =
            hive.call(
                entry.tool(),
                arguments,
                new ToolCaller(
                    caller.agentId(),
                    caller.role(),
                    caller.taskId(),
                    caller.attemptId() + ":" + step + "." + index,
                    end));
      } else {
        answer = entry.source().call(entry.tool(), arguments, caller.attemptId());
      }
      awaiting.addAll(answer.awaiting());
      long ms = (System.nanoTime() - started) / 1_000_000;
      calls.add(
          new ToolCallRecord(
              step,
              request.name(),
              entry.where(),
              digest,
              ms,
              answer.error() ? "error" : "ok",
              answer.error() ? ProviderFailure.abbreviate(answer.text()) : null));
      String text = capped(answer.text());
      return answer.error() ? "Error: " + text : text;
    }

    private String made() {
      if (calls.isEmpty()) {
        return "";
      }
      StringBuilder b = new StringBuilder("; tool calls: ");
      for (int i = 0; i < calls.size(); i++) {
        b.append(i == 0 ? "" : ", ").append(calls.get(i).brief());
      }
      return b.toString();
    }
  }

  private String capped(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    if (bytes.length <= maxResultBytes) {
      return text;
    }
    return new String(bytes, 0, maxResultBytes, StandardCharsets.UTF_8)
        + " [cut: the tool's answer was "
        + bytes.length
        + " bytes, past the hive's "
        + maxResultBytes
        + "]";
  }

  private static Map<String, Object> arguments(String json) {
    if (json == null || json.isBlank()) {
      return Map.of();
    }
    try {
      return JSON.readValue(json, new TypeReference<Map<String, Object>>() {});
    } catch (Exception e) {
      return null;
    }
  }

  private static String digest(ToolExecutionRequest r) {
    return sha256(r.arguments() == null ? "" : r.arguments());
  }

  static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
