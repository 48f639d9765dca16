package io.agenthive.skill.llm;

import com.fasterxml.jackson.databind.JsonNode;
import io.agenthive.common.FieldError;
import io.agenthive.common.Validator;
import io.agenthive.skill.guard.EndpointGuards;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * An {@code llm} agent's config, as journaled with its registration. The API key is never part of
 * it: {@code api_key_env} names the environment variable that holds it.
 *
 * <pre>{"provider": "openai" | "ollama", "base_url": "...", "model": "...",
 *  "api_key_env": "OPENAI_API_KEY", "system_prompt": "...", "temperature": 0.2,
 *  "max_tokens": 512, "prompt_template": "Summarise: {{input}}", "timeout_ms": 60000,
 *  "requests_per_second": 2, "tools": {...}}</pre>
 *
 * <p>{@code tools} ({@link ToolsConfig}): the tools the model may call in a bounded loop.
 */
record LlmConfig(
    String provider,
    String baseUrl,
    String model,
    String apiKeyEnv,
    String systemPrompt,
    Double temperature,
    Integer maxTokens,
    String promptTemplate,
    Duration timeout,
    Double requestsPerSecond,
    ToolsConfig tools) {

  static final String OPENAI = "openai";
  static final String OLLAMA = "ollama";
  static final String DEFAULT_TEMPLATE = "{{input}}";

  static LlmConfig parse(JsonNode c) {
    return new LlmConfig(
        c.path("provider").asText(OPENAI),
        c.path("base_url").asText(),
        c.path("model").asText(),
        text(c, "api_key_env"),
        text(c, "system_prompt"),
        c.has("temperature") ? c.path("temperature").asDouble() : null,
        c.has("max_tokens") ? c.path("max_tokens").asInt() : null,
        c.path("prompt_template").asText(DEFAULT_TEMPLATE),
        Duration.ofMillis(c.path("timeout_ms").asLong(60_000)),
        c.has("requests_per_second") ? c.path("requests_per_second").asDouble() : null,
        c.has("tools") ? ToolsConfig.parse(c.path("tools")) : null);
  }

  static List<FieldError> validate(JsonNode c) {
    Validator v = new Validator();
    v.require(
        Set.of(OPENAI, OLLAMA).contains(c.path("provider").asText(OPENAI)),
        "provider",
        "must be openai (any OpenAI-compatible server) or ollama (Ollama's own API)");
    v.require(
        EndpointGuards.isHttpUrl(c.path("base_url").asText(null)),
        "base_url",
        "must be an absolute http:// or https:// URL, e.g. http://localhost:11434/v1");
    v.require(!c.path("model").asText("").isBlank(), "model", "is required");
    v.require(
        !c.has("api_key"),
        "api_key",
        "is not accepted: put the key in an environment"
            + " variable and name it in api_key_env (config is journaled)");
    v.require(
        !c.has("api_key_env") || c.path("api_key_env").asText("").matches("[A-Za-z_][A-Za-z0-9_]*"),
        "api_key_env",
        "must be an environment variable name");
    JsonNode t = c.path("temperature");
    v.require(
        t.isMissingNode() || t.isNumber() && t.asDouble() >= 0 && t.asDouble() <= 2,
        "temperature",
        "must be a number from 0 to 2");
    JsonNode m = c.path("max_tokens");
    v.require(
        m.isMissingNode() || m.canConvertToInt() && m.asInt() >= 1,
        "max_tokens",
        "must be a whole number of at least 1");
    JsonNode timeout = c.path("timeout_ms");
    v.require(
        timeout.isMissingNode()
            || timeout.canConvertToLong() && timeout.asLong() >= 1 && timeout.asLong() <= 600_000,
        "timeout_ms",
        "must be 1..600000");
    JsonNode rate = c.path("requests_per_second");
    v.require(
        rate.isMissingNode() || rate.isNumber() && rate.asDouble() > 0,
        "requests_per_second",
        "must be a number above 0");
    v.require(
        !c.has("prompt_template") || c.path("prompt_template").isTextual(),
        "prompt_template",
        "must be a string; {{input}}, {{title}}, {{description}} are filled in");
    java.util.List<FieldError> errors = new java.util.ArrayList<>(v.errors());
    if (c.has("tools")) {
      errors.addAll(ToolsConfig.validate(c.path("tools")));
    }
    return errors;
  }

  private static String text(JsonNode c, String field) {
    return c.hasNonNull(field) ? c.path(field).asText() : null;
  }
}
