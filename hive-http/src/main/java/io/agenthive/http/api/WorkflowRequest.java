package io.agenthive.http.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.agenthive.http.json.ApiError;
import io.agenthive.http.json.JsonFields;
import io.agenthive.workflow.ConsensusSpec;
import io.agenthive.workflow.WorkflowSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@code POST /api/workflows}: {@code name}, {@code tasks} (each a task as {@code POST
 * /api/tasks} takes it, plus its {@code name}; its {@code depends_on} names steps of this workflow
 * or ids of existing tasks), optional {@code edges} ({@code {"from": a, "to": b}}: b depends on a)
 * and {@code idempotency_key}. A task of {@code "kind": "consensus"} runs on several agents ({@link
 * ConsensusRequest}). Every error names its field ({@code tasks[2].priority}).
 */
final class WorkflowRequest {
  private static final Set<String> FIELDS = Set.of("name", "tasks", "edges", "idempotency_key");
  private static final Set<String> EDGE_FIELDS = Set.of("from", "to");
  private static final Set<String> STEP_FIELDS;
  private static final Set<String> CONSENSUS_STEP_FIELDS;

  static {
    Set<String> s = new HashSet<>(TaskRequest.FIELDS);
    s.add("name");
    s.remove("idempotency_key");
    s.remove("dataset");
    STEP_FIELDS = Set.copyOf(s);
    s.addAll(ConsensusRequest.FIELDS);
    CONSENSUS_STEP_FIELDS = Set.copyOf(s);
  }

  private WorkflowRequest() {}

  static WorkflowSpec parse(JsonNode body, String idempotencyHeader) {
    JsonFields f = JsonFields.of(body);
    f.rejectUnknown(FIELDS);
    String name = f.string("name");
    String key = f.string("idempotency_key");
    if (idempotencyHeader != null && key != null && !idempotencyHeader.equals(key)) {
      f.error("idempotency_key", "differs from the Idempotency-Key header");
    }
    List<JsonNode> items = f.array("tasks");
    Map<String, List<String>> extraDeps = edges(f);
    List<WorkflowSpec.Step> steps = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      String at = "tasks[" + i + "]";
      if (!items.get(i).isObject()) {
        f.error(at, "must be an object");
        continue;
      }
      boolean consensus = ConsensusRequest.isConsensus(items.get(i));
      JsonFields whole = f.nested(items.get(i), at);
      ConsensusSpec agreement = null;
      if (consensus) {
        whole.rejectUnknown(CONSENSUS_STEP_FIELDS);
        agreement = ConsensusRequest.read(whole, items.get(i));
      } else {
        whole.rejectUnknown(STEP_FIELDS);
      }
      // a consensus step's voters run the rest of it as an ordinary task
      JsonFields t = consensus ? f.nested(ConsensusRequest.voterTask(items.get(i)), at) : whole;
      String stepName = t.string("name");
      var spec = TaskRequest.read(t, null).withDependencies(null);
      if (spec.subject() != null) {
        // the workflow's own first event holds each step's input: it would be journaled unsealed
        t.error("subject", "a workflow's step cannot name a subject; submit the task on its own");
      }
      List<String> deps = new ArrayList<>(TaskRequest.strings(t, "depends_on"));
      for (String extra : extraDeps.getOrDefault(stepName, List.of())) {
        if (!deps.contains(extra)) {
          deps.add(extra);
        }
      }
      steps.add(
          new WorkflowSpec.Step(
              stepName, spec, deps, TaskRequest.runOnDependencyFailure(t), agreement));
    }
    Set<String> names = new HashSet<>();
    steps.forEach(s -> names.add(s.name()));
    extraDeps.keySet().stream()
        .filter(to -> !names.contains(to))
        .forEach(to -> f.error("edges", "to: " + to + " names no task of this workflow"));
    if (!f.errors().isEmpty()) {
      throw ApiError.invalid(f.errors());
    }
    return new WorkflowSpec(name, steps, idempotencyHeader != null ? idempotencyHeader : key);
  }

  /** {@code edges}, as the dependencies they add: to → [from, ...]. */
  private static Map<String, List<String>> edges(JsonFields f) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    List<JsonNode> items = f.array("edges");
    for (int i = 0; i < items.size(); i++) {
      String at = "edges[" + i + "]";
      if (!items.get(i).isObject()) {
        f.error(at, "must be an object with from and to");
        continue;
      }
      JsonFields e = f.nested(items.get(i), at);
      e.rejectUnknown(EDGE_FIELDS);
      String from = e.string("from");
      String to = e.string("to");
      if (from == null || to == null) {
        e.error(from == null ? "from" : "to", "is required");
        continue;
      }
      out.computeIfAbsent(to, k -> new ArrayList<>()).add(from);
    }
    return out;
  }
}
