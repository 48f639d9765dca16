package io.agenthive.matcher;

import io.agenthive.budget.Hold;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** What the budgets' holds hold back, by kind: agents, workflows, submitters. */
record HeldScopes(Set<String> agents, Set<String> workflows, Set<String> principals) {

  static HeldScopes of(List<Hold> holds) {
    HeldScopes s = new HeldScopes(new HashSet<>(), new HashSet<>(), new HashSet<>());
    for (Hold h : holds) {
      switch (h.scope()) {
        case AGENT -> s.agents.add(h.target());
        case WORKFLOW -> s.workflows.add(h.target());
        case PRINCIPAL -> s.principals.add(h.target());
      }
    }
    return s;
  }
}
