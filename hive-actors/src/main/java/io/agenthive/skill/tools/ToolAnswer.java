package io.agenthive.skill.tools;

import java.util.List;

/**
 * What a tool call gave the model: text, and whether it is an error the model should see. {@code
 * awaiting}: subtasks the call said to wait for ({@code await_subtasks}); such an answer ends the
 * tool loop, and the attempt with it, its agent's slot given back until they have all ended.
 */
public record ToolAnswer(String text, boolean error, List<String> awaiting) {
  public ToolAnswer {
    awaiting = awaiting == null ? List.of() : List.copyOf(awaiting);
  }

  public static ToolAnswer ok(String text) {
    return new ToolAnswer(text, false, List.of());
  }

  public static ToolAnswer error(String text) {
    return new ToolAnswer(text, true, List.of());
  }

  public static ToolAnswer awaiting(String text, List<String> subtasks) {
    return new ToolAnswer(text, false, subtasks);
  }
}
