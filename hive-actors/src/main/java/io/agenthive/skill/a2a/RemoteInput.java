package io.agenthive.skill.a2a;

import com.fasterxml.jackson.databind.JsonNode;
import io.agenthive.skill.SkillRequest;

/**
 * The task's input as the text of the message to the remote agent: a string input as it is, an
 * object's string {@code text} field, any other JSON as its JSON text; a task without input sends
 * its description, or its title.
 */
final class RemoteInput {
  private RemoteInput() {}

  static String text(SkillRequest request) {
    JsonNode input = request.input();
    if (input == null || input.isNull() || input.isMissingNode()) {
      String description = request.description();
      return description == null || description.isBlank()
          ? nullToEmpty(request.title())
          : description;
    }
    if (input.isTextual()) {
      return input.textValue();
    }
    if (input.isObject() && input.size() == 1 && input.path("text").isTextual()) {
      return input.get("text").textValue();
    }
    return input.toString();
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
