package io.agenthive.skill.a2a;

import akka.actor.typed.ActorSystem;
import com.fasterxml.jackson.databind.JsonNode;
import io.agenthive.common.FieldError;
import io.agenthive.common.Validator;
import io.agenthive.skill.SkillRules;
import io.agenthive.skill.guard.EgressPolicy;
import io.agenthive.skill.guard.EndpointGuards;
import io.agenthive.skill.guard.GuardSettings;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An a2a agent's config: {@code {url, headers_from_env?, timeout_ms?, requests_per_second?,
 * streaming?}}. {@code url} is the remote agent's base URL (its card is at {@code
 * /.well-known/agent-card.json} under it); {@code headers_from_env} maps a header to the
 * environment variable holding its value (a bearer token, say: only the variable's name is
 * journaled); {@code timeout_ms} bounds each call (default 30 s); {@code streaming: false} polls
 * even when the card offers streaming.
 */
record A2aConfig(
    String url, Duration callTimeout, Map<String, String> headers, Double rate, boolean streaming) {

  static final Set<String> FIELDS =
      Set.of("url", "headers_from_env", "timeout_ms", "requests_per_second", "streaming");

  GuardSettings guard(ActorSystem<?> system) {
    var defaults =
        GuardSettings.from(system.settings().config()).withCallTimeout(callTimeout.plusSeconds(1));
    return rate == null ? defaults : defaults.withRequestsPerSecond(rate);
  }

  /**
   * The config's shape, without the hub's rules (those are in {@link #validate(JsonNode,
   * SkillRules)}).
   */
  static List<FieldError> validate(JsonNode config) {
    Validator v = new Validator();
    for (Iterator<String> names = config.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      v.require(
          FIELDS.contains(name),
          name,
          "is not a field of the a2a skill's config (fields: "
              + FIELDS.stream().sorted().toList()
              + ")");
    }
    v.require(
        EndpointGuards.isHttpUrl(config.path("url").asText(null)),
        "url",
        "must be the remote agent's absolute http:// or https:// base URL");
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
    JsonNode streaming = config.path("streaming");
    v.require(
        streaming.isMissingNode() || streaming.isBoolean(), "streaming", "must be true or false");
    JsonNode fromEnv = config.path("headers_from_env");
    boolean envOk = fromEnv.isMissingNode() || fromEnv.isObject();
    v.require(
        envOk,
        "headers_from_env",
        "must be an object of header names to environment variable names");
    if (envOk) {
      fromEnv
          .fields()
          .forEachRemaining(
              e ->
                  v.require(
                      e.getValue().isTextual(),
                      "headers_from_env." + e.getKey(),
                      "must be the name of an environment variable"));
    }
    return v.errors();
  }

  /** The shape, then the hub's rules: allowed and set variables, short values, allowed address. */
  static List<FieldError> validate(JsonNode config, SkillRules rules) {
    List<FieldError> errors = new ArrayList<>(validate(config));
    if (!errors.isEmpty()) {
      return errors;
    }
    config
        .path("headers_from_env")
        .fields()
        .forEachRemaining(
            e -> {
              String field = "headers_from_env." + e.getKey();
              String variable = e.getValue().asText();
              String value = System.getenv(variable);
              if (!rules.egress().secretEnvAllowed(variable)) {
                errors.add(new FieldError(field, rules.egress().secretEnvRefusal(variable)));
              } else if (value == null) {
                errors.add(
                    new FieldError(field, "names " + variable + ", which is not set on the hub"));
              } else if (value.length() > rules.limits().maxHeaderValueChars()) {
                errors.add(
                    new FieldError(
                        field,
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

  /** Only variables {@code egress} allows are read, as for the http skill. */
  static A2aConfig parse(JsonNode c, EgressPolicy egress) {
    Map<String, String> headers = new LinkedHashMap<>();
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
    return new A2aConfig(
        c.path("url").asText(),
        Duration.ofMillis(c.path("timeout_ms").asLong(30_000)),
        Map.copyOf(headers),
        c.has("requests_per_second") ? c.path("requests_per_second").asDouble() : null,
        c.path("streaming").asBoolean(true));
  }

  /**
   * Where the card is: {@code .well-known/agent-card.json} under the base URL's path (as the A2A
   * SDKs look for it), without the base URL's query or fragment.
   */
  String cardUrl() {
    URI base = URI.create(url);
    String path =
        base.getRawPath() == null || base.getRawPath().isEmpty() ? "/" : base.getRawPath();
    path = path.endsWith("/") ? path : path + "/";
    return base.getScheme() + "://" + base.getRawAuthority() + path + ".well-known/agent-card.json";
  }

  /**
   * Why the card's JSON-RPC URL may not be called, or null: the configured headers (secrets) are
   * sent only to the host and port the operator named in {@code url}, never to one a card names.
   */
  String refusalOfInterface(String rpcUrl) {
    if (headers.isEmpty()
        || EndpointGuards.endpointOf(rpcUrl).equals(EndpointGuards.endpointOf(url))) {
      return null;
    }
    return "the agent card's JSON-RPC interface "
        + rpcUrl
        + " is on another host or port than url, and headers_from_env are sent only to url's;"
        + " set url to that host's base URL";
  }
}
