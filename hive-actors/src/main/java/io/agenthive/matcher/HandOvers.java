package io.agenthive.matcher;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Tasks handed to agents that nothing has confirmed yet: no start, no report, no answer from the
 * agent. A hand-over buffered for an agent's shard while the shard is handed off is dropped (Akka
 * drops rather than re-orders); after a clean stop in {@code bench failover} such a task waited its
 * whole lease (15 s) before anyone noticed. One still unconfirmed after {@link #CONFIRM_WITHIN} is
 * asked about (which of these do you hold?); an agent that does not hold it has it reported lost to
 * its entity, which alone knows whether it started, and a task that never started is queued again.
 * Works on {@link Matching}'s {@code out}, which says whether the hand-over still stands.
 */
final class HandOvers {
  /** Far above a start's usual second; a start slower than this only costs a question. */
  static final Duration CONFIRM_WITHIN = Duration.ofSeconds(2);

  private record Sent(String agentId, Instant at) {}

  private final Map<String, Matching.Out> out;
  private final Map<String, Sent> sent = new HashMap<>();

  HandOvers(Map<String, Matching.Out> out) {
    this.out = out;
  }

  void sent(String taskId, String agentId, Instant now) {
    sent.put(taskId, new Sent(agentId, now));
  }

  /** {@code agentId} showed it has {@code taskId} (its start, a report or an answer). */
  void confirmed(String taskId, String agentId) {
    Sent s = sent.get(taskId);
    if (s != null && s.agentId().equals(agentId)) {
      sent.remove(taskId);
    }
  }

  /**
   * The questions to ask now, one per agent, about its hand-overs unconfirmed for longer than
   * {@link #CONFIRM_WITHIN}. A hand-over that no longer stands (the task came back, ended, or went
   * to another agent) is forgotten here. Stays due until confirmed or no longer out: asked again
   * each check, it changes nothing while asked (a question to an agent that has one open waits its
   * turn, {@link AgentQuestions}).
   */
  List<Matching.ConfirmRuns> overdue(Instant now) {
    Map<String, Set<String>> ask = new HashMap<>();
    Iterator<Map.Entry<String, Sent>> it = sent.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<String, Sent> e = it.next();
      Matching.Out o = out.get(e.getKey());
      String agentId = e.getValue().agentId();
      if (o == null || !o.agentId().equals(agentId)) {
        it.remove();
      } else if (e.getValue().at().plus(CONFIRM_WITHIN).isBefore(now)) {
        ask.computeIfAbsent(agentId, a -> new LinkedHashSet<>()).add(e.getKey());
      }
    }
    return ask.entrySet().stream()
        .map(e -> new Matching.ConfirmRuns(e.getKey(), Set.copyOf(e.getValue())))
        .toList();
  }
}
