package io.agenthive.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A tool's arguments, read with errors that name the field. Unknown arguments are refused too: an
 * assistant that misspells {@code task_id} should hear so, not get a default.
 */
final class Args {
  /** Ids travel in URL paths: only the characters the hub's own ids use. */
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,200}");

  private final ObjectNode node;

  private Args(ObjectNode node) {
    this.node = node;
  }

  static Args of(Map<String, Object> arguments, Set<String> known) {
    ObjectNode node =
        arguments == null ? HubApi.JSON.createObjectNode() : HubApi.JSON.valueToTree(arguments);
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!known.contains(name)) {
        throw ToolFailure.argument(
            "Unknown parameter: " + name,
            name,
            "is not an argument of this tool; it takes " + known);
      }
    }
    return new Args(node);
  }

  /** The arguments given, in the order given. */
  java.util.List<String> names() {
    java.util.List<String> names = new java.util.ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  boolean has(String name) {
    return node.hasNonNull(name);
  }

  JsonNode raw(String name) {
    return node.get(name);
  }

  String string(String name) {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw ToolFailure.argument(name, "must be a string");
    }
    return v.asText();
  }

  String requiredString(String name) {
    String v = string(name);
    if (v == null || v.isBlank()) {
      throw ToolFailure.missing(name);
    }
    return v;
  }

  /** An id for a URL path; anything else is refused before it reaches the hub. */
  String id(String name) {
    String v = requiredString(name);
    if (!ID.matcher(v).matches()) {
      throw ToolFailure.argument(name, "is not an id (letters, digits and . _ : - only)");
    }
    return v;
  }

  int integer(String name, int fallback, int min, int max) {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (!v.canConvertToInt() || !v.isIntegralNumber()) {
      throw ToolFailure.argument(name, "must be a whole number");
    }
    int i = v.asInt();
    if (i < min || i > max) {
      throw ToolFailure.argument(name, "must be between " + min + " and " + max);
    }
    return i;
  }
}
