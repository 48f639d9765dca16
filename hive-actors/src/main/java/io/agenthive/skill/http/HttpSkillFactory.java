package io.agenthive.skill.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.agenthive.common.FieldError;
import io.agenthive.common.Validator;
import io.agenthive.skill.Skill;
import io.agenthive.skill.SkillContext;
import io.agenthive.skill.SkillFactory;
import io.agenthive.skill.SkillRules;
import io.agenthive.skill.guard.EgressPolicy;
import io.agenthive.skill.guard.EndpointGuards;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Registers {@link HttpSkill} as {@code http}; checks its config at agent registration. */
public final class HttpSkillFactory implements SkillFactory {
  @Override
  public String name() {
    return HttpSkill.NAME;
  }

  @Override
  public Skill create(SkillContext context) {
    return new HttpSkill(context, parse(context.config(), EgressPolicy.get(context.system())));
  }

  @Override
  public List<FieldError> validateConfig(JsonNode config, SkillRules rules) {
    List<FieldError> errors = new ArrayList<>(validateConfig(config));
    if (config.has("headers")) {
      errors.add(
          new FieldError(
              "headers",
              "header values are not kept in the journal: put each value in an environment"
                  + " variable listed in hive.skills.secret-env-allowlist and name it in"
                  + " headers_from_env"));
    }
    config
        .path("headers_from_env")
        .fields()
        .forEachRemaining(
            e -> {
              String variable = e.getValue().asText(null);
              if (!rules.egress().secretEnvAllowed(variable)) {
                errors.add(
                    new FieldError(
                        "headers_from_env." + e.getKey(),
                        rules.egress().secretEnvRefusal(variable)));
              }
              String value = variable == null ? null : System.getenv(variable);
              if (value != null && value.length() > rules.limits().maxHeaderValueChars()) {
                errors.add(
                    new FieldError(
                        "headers_from_env." + e.getKey(),
                        "names a value longer than "
                            + rules.limits().maxHeaderValueChars()
                            + " characters (hive.limits.max-header-value)"));
              }
            });
    String literal = rules.egress().refusalOfLiteral(config.path("url").asText(""));
    if (literal != null) {
      errors.add(new FieldError("url", literal));
    }
    return errors;
  }

  @Override
  public List<FieldError> validateConfig(JsonNode config) {
    Validator v = new Validator();
    v.require(
        EndpointGuards.isHttpUrl(config.path("url").asText(null)),
        "url",
        "must be an absolute http:// or https:// URL");
    JsonNode timeout = config.path("timeout_ms");
    v.require(
        timeout.isMissingNode()
            || timeout.canConvertToLong() && timeout.asLong() >= 1 && timeout.asLong() <= 600_000,
        "timeout_ms",
        "must be 1..600000");
    JsonNode rate = config.path("requests_per_second");
    v.require(
        rate.isMissingNode() || rate.isNumber() && rate.asDouble() > 0,
        "requests_per_second",
        "must be a number above 0");
    JsonNode headers = config.path("headers");
    v.require(
        headers.isMissingNode() || headers.isObject(),
        "headers",
        "must be an object of header names to string values");
    JsonNode fromEnv = config.path("headers_from_env");
    v.require(
        fromEnv.isMissingNode() || fromEnv.isObject(),
        "headers_from_env",
        "must be an object of header names to environment variable names");
    return v.errors();
  }

  /**
   * {@code egress}: only variables it allows are read (a journal from before the allowlist may name
   * any); plain {@code headers} from such a journal still apply.
   */
  static HttpSkill.HttpConfig parse(JsonNode c, EgressPolicy egress) {
    Map<String, String> headers = new LinkedHashMap<>();
    c.path("headers")
        .fields()
        .forEachRemaining(e -> headers.put(e.getKey(), e.getValue().asText()));
    // secrets (a bearer token, say) stay in the environment: only the variable's name is journaled
    c.path("headers_from_env")
        .fields()
        .forEachRemaining(
            e -> {
              String variable = e.getValue().asText();
              String value = egress.secretEnvAllowed(variable) ? System.getenv(variable) : null;
              if (value != null) {
                headers.put(e.getKey(), value);
              }
            });
    return new HttpSkill.HttpConfig(
        c.path("url").asText(),
        Duration.ofMillis(c.path("timeout_ms").asLong(30_000)),
        Map.copyOf(headers),
        c.has("requests_per_second") ? c.path("requests_per_second").asDouble() : null);
  }
}
