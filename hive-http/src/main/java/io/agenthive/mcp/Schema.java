package io.agenthive.mcp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A tool's input schema (JSON Schema), every property with a description for the assistant. */
final class Schema {
  private final Map<String, Object> properties = new LinkedHashMap<>();
  private final List<String> required = new ArrayList<>();

  static Schema object() {
    return new Schema();
  }

  Schema string(String name, String description, boolean needed) {
    return property(name, Map.of("type", "string", "description", description), needed);
  }

  Schema choice(String name, String description, List<String> values, boolean needed) {
    return property(
        name, Map.of("type", "string", "description", description, "enum", values), needed);
  }

  Schema integer(String name, String description, int min, int max) {
    return property(
        name,
        Map.of("type", "integer", "description", description, "minimum", min, "maximum", max),
        false);
  }

  Schema any(String name, String description, boolean needed) {
    return property(name, Map.of("description", description), needed);
  }

  Schema array(String name, String description, Map<String, Object> items, boolean needed) {
    return property(
        name, Map.of("type", "array", "description", description, "items", items), needed);
  }

  Schema objectProperty(String name, String description, boolean needed) {
    return property(name, Map.of("type", "object", "description", description), needed);
  }

  private Schema property(String name, Map<String, Object> spec, boolean needed) {
    properties.put(name, spec);
    if (needed) {
      required.add(name);
    }
    return this;
  }

  java.util.Set<String> names() {
    return properties.keySet();
  }

  Map<String, Object> build() {
    Map<String, Object> schema = new LinkedHashMap<>();
    schema.put("type", "object");
    schema.put("properties", properties);
    if (!required.isEmpty()) {
      schema.put("required", required);
    }
    return schema;
  }
}
