package io.agenthive.task;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tasks that should run on different agents: the voters of one consensus step of a workflow, named
 * {@code <step>.voter-<n>} there. The matcher passes by an agent that took a task of the same group
 * while another qualifying agent is free (a preference, like a retry's: never a wait).
 */
public final class SpreadGroup {
  private static final Pattern VOTER = Pattern.compile("(.+)\\.voter-\\d+");

  private SpreadGroup() {}

  /** A consensus step's voter's name in its workflow. */
  public static String voterName(String step, int n) {
    return step + ".voter-" + n;
  }

  /** The group of a task with these dependencies, or null when it is in none. */
  public static String of(Dependencies d) {
    if (d == null || d.workflowId() == null || d.name() == null) {
      return null;
    }
    Matcher m = VOTER.matcher(d.name());
    return m.matches() ? d.workflowId() + "/" + m.group(1) : null;
  }
}
