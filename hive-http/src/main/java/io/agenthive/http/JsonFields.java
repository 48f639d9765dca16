package io.agenthive.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.agenthive.common.FieldError;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Reads typed fields out of a JSON object, collecting one error per bad field (wrong type,
 * unknown name) instead of stopping at the first, so the client can fix everything at once.
 */
final class JsonFields {
  private final JsonNode node;
  private final String prefix;
  private final List<FieldError> errors;

  private JsonFields(JsonNode node, String prefix, List<FieldError> errors) {
    this.node = node;
    this.prefix = prefix;
    this.errors = errors;
  }

  static JsonFields of(JsonNode body) {
    if (!body.isObject()) {
      throw ApiError.badRequest("not_an_object", "the body must be a JSON object");
    }
    return new JsonFields(body, "", new ArrayList<>());
  }

  /** The fields of a nested object, reporting into the same error list. */
  JsonFields nested(JsonNode child, String path) {
    return new JsonFields(child, path + ".", errors);
  }

  List<FieldError> errors() {
    return errors;
  }

  void error(String field, String message) {
    errors.add(new FieldError(prefix + field, message));
  }

  void rejectUnknown(Set<String> known) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!known.contains(name)) {
        error(name, "is not a known field");
      }
    }
  }

  boolean has(String field) {
    return node.hasNonNull(field);
  }

  JsonNode raw(String field) {
    return node.get(field);
  }

  String string(String field) {
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

  Double number(String field) {
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

  Integer integer(String field) {
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

  Long longInteger(String field) {
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
  List<JsonNode> array(String field) {
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
