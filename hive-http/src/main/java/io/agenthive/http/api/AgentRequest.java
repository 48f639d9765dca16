package io.agenthive.http.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.agenthive.agent.AgentSpec;
import io.agenthive.agent.Capability;
import io.agenthive.http.json.ApiError;
import io.agenthive.http.json.JsonFields;
import io.agenthive.skill.SkillRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads {@code POST /api/agents} bodies, including the seed hub's shapes: {@code agent_type} for
 * {@code type}, capitalised types ({@code "Worker"}), {@code {"Specialist": "data"}} and a bare
 * {@code "specialist"} (as {@code specialist:general}). {@code skill} defaults to {@code
 * simulated}, the seed hub's behaviour; {@code learning_rate} to 0.1.
 */
public final class AgentRequest {
  static final String DEFAULT_SKILL = "simulated";
  private static final Set<String> FIELDS =
      Set.of("name", "type", "agent_type", "capabilities", "skill", "max_concurrency");
  private static final Set<String> CAPABILITY_FIELDS =
      Set.of("name", "proficiency", "learning_rate");

  private AgentRequest() {}

  /** The spec as sent; field errors of shape (wrong types, unknown fields) are thrown here. */
  public static AgentSpec parse(JsonNode body) {
    return parse(body, false);
  }

  /**
   * {@code remoteAllowed}: only the worker socket registers {@code remote} agents, since only it
   * brings the worker that runs their tasks.
   */
  public static AgentSpec parse(JsonNode body, boolean remoteAllowed) {
    JsonFields f = JsonFields.of(body);
    f.rejectUnknown(FIELDS);
    String name = f.string("name");
    String type = type(f);
    List<Capability> caps = new ArrayList<>();
    List<JsonNode> items = f.array("capabilities");
    for (int i = 0; i < items.size(); i++) {
      String at = "capabilities[" + i + "]";
      if (!items.get(i).isObject()) {
        f.error(at, "must be an object");
        continue;
      }
      JsonFields c = f.nested(items.get(i), at);
      c.rejectUnknown(CAPABILITY_FIELDS);
      Double proficiency = c.number("proficiency");
      if (proficiency == null && !c.has("proficiency")) {
        c.error("proficiency", "is required");
      }
      Double rate = c.number("learning_rate");
      caps.add(
          new Capability(
              c.string("name"),
              proficiency == null ? Double.NaN : proficiency,
              rate == null ? Capability.DEFAULT_LEARNING_RATE : rate));
    }
    Integer maxConcurrency = f.integer("max_concurrency");
    SkillRef skill = skill(f);
    if (skill != null && "remote".equals(skill.name()) && !remoteAllowed) {
      f.error("skill", "remote agents register themselves over the worker socket /ws/worker");
    }
    if (!f.errors().isEmpty()) {
      throw ApiError.invalid(f.errors());
    }
    return new AgentSpec(name, type, caps, skill, maxConcurrency);
  }

  private static String type(JsonFields f) {
    String field = f.has("type") ? "type" : "agent_type";
    JsonNode raw = f.raw(field);
    if (raw != null && raw.isObject() && raw.size() == 1 && raw.has("Specialist")) {
      return "specialist:" + raw.get("Specialist").asText().toLowerCase(Locale.ROOT);
    }
    String type = f.string(field);
    if (type == null) {
      return null;
    }
    String lower = type.toLowerCase(Locale.ROOT);
    return lower.equals("specialist") ? "specialist:general" : lower;
  }

  private static SkillRef skill(JsonFields f) {
    JsonNode raw = f.raw("skill");
    if (raw == null || raw.isNull()) {
      return SkillRef.named(DEFAULT_SKILL);
    }
    if (raw.isTextual()) {
      return SkillRef.named(raw.textValue());
    }
    if (!raw.isObject()) {
      f.error("skill", "must be a skill name or {\"name\": ..., \"config\": {...}}");
      return null;
    }
    JsonFields s = f.nested(raw, "skill");
    s.rejectUnknown(Set.of("name", "config"));
    JsonNode config = s.raw("config");
    if (config != null && !config.isNull() && !config.isObject()) {
      s.error("config", "must be an object");
    }
    return new SkillRef(
        s.string("name"),
        config == null || config.isNull() ? JsonNodeFactory.instance.objectNode() : config);
  }
}
