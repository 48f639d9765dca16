package io.agenthive.http.json;

import com.fasterxml.jackson.databind.JsonNode;
import io.agenthive.common.FieldError;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Reads typed fields out of a JSON object, collecting one error per bad field (wrong type, unknown
 * name) instead of stopping at the first, so the client can fix everything at once.
 */
public final class JsonFields {
  private final JsonNode node;
  private final String prefix;
  private final List<FieldError> errors;

  private JsonFields(JsonNode node, String prefix, List<FieldError> errors) {
    this.node = node;
    this.prefix = prefix;
    this.errors = errors;
  }

  public static JsonFields of(JsonNode body) {
    if (!body.isObject()) {
      throw ApiError.badRequest("not_an_object", "the body must be a JSON object");
    }
    return new JsonFields(body, "", new ArrayList<>());
  }

  /** The fields of a nested object, reporting into the same error list under its full path. */
  public JsonFields nested(JsonNode child, String path) {
    // the parent's own prefix too: a rung of a workflow step is tasks[0].escalation[1].capability
    return new JsonFields(child, prefix + path + ".", errors);
  }

  public List<FieldError> errors() {
    return errors;
  }

  public void error(String field, String message) {
    errors.add(new FieldError(prefix + field, message));
  }

  public void rejectUnknown(Set<String> known) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!known.contains(name)) {
        error(name, "is not a known field");
      }
    }
  }

  public boolean has(String field) {
    return node.hasNonNull(field);
  }

  public JsonNode raw(String field) {
    return node.get(field);
  }

  public String string(String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      error(field, "must be a string");
      return null;
    }
    return v.textValue();
  }

  public Double number(String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isNumber() || !Double.isFinite(v.doubleValue())) {
      error(field, "must be a finite number");
      return null;
    }
    return v.doubleValue();
  }

  public Integer integer(String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isIntegralNumber() || !v.canConvertToInt()) {
      error(field, "must be a whole number");
      return null;
    }
    return v.intValue();
  }

  public Long longInteger(String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isIntegralNumber() || !v.canConvertToLong()) {
      error(field, "must be a whole number");
      return null;
    }
    return v.longValue();
  }

  /** The array's elements, or an empty list (with an error) when it is not an array. */
  public List<JsonNode> array(String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return List.of();
    }
    if (!v.isArray()) {
      error(field, "must be an array");
      return List.of();
    }
    List<JsonNode> out = new ArrayList<>();
    v.forEach(out::add);
    return out;
  }
}
