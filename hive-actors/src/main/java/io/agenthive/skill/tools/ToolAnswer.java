package io.agenthive.skill.tools;

/** What a tool call gave the model: text, and whether it is an error the model should see. */
public record ToolAnswer(String text, boolean error) {
  public static ToolAnswer ok(String text) {
    return new ToolAnswer(text, false);
  }

  public static ToolAnswer error(String text) {
    return new ToolAnswer(text, true);
  }
}
