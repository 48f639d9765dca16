package io.agenthive.launcher;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import io.agenthive.persistence.DecisionReplay;
import io.agenthive.persistence.DecisionReplay.Difference;
import io.agenthive.persistence.DecisionReplay.Report;
import io.agenthive.persistence.DecisionReplay.Scored;
import io.agenthive.persistence.DecisionReplay.Unreproducible;
import io.agenthive.persistence.HiveEventFeed;
import io.agenthive.routing.ScoringPolicy;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code ./hive replay-decisions}: every routing decision in the journal re-run through today's
 * policy or a proposed one ({@link PolicyFile}), and the ones that come out different, with why
 * ({@link DecisionReplay}). Reads the journal directly: on H2 the hub must be stopped.
 */
final class DecisionCommands {
  private static final int SHOWN = 10;

  private DecisionCommands() {}

  static int replayDecisions(Config config, List<String> args) throws Exception {
    String command = "./hive replay-decisions";
    CommandOptions o =
        CommandOptions.parse(command, args, Set.of("from", "to", "policy"), Set.of("json"));
    Instant from = o.text("from", null) == null ? null : o.instant("from", "2026-12-01T00:00:00Z");
    Instant to = o.text("to", null) == null ? null : o.instant("to", "2026-12-08T00:00:00Z");
    if (from != null && to != null && to.isBefore(from)) {
      throw new UsageError("--to " + to + " is before --from " + from + ".");
    }
    ScoringPolicy policy =
        o.text("policy", null) == null
            ? ScoringPolicy.current()
            : PolicyFile.read(Path.of(o.text("policy", null)));
    AtomicReference<Report> result = new AtomicReference<>();
    JournalCommands.withJournal(
        config,
        system ->
            new DecisionReplay(system, new HiveEventFeed(system))
                .replay(from, to, policy)
                .thenAccept(result::set));
    Report report = result.get();
    if (o.flag("json")) {
      System.out.println(json(report));
    } else {
      System.out.print(summary(report));
    }
    return 0;
  }

  static String summary(Report r) {
    StringBuilder out = new StringBuilder();
    out.append("Re-ran ")
        .append(r.decisions())
        .append(" routing decision(s) through policy ")
        .append(r.policy())
        .append(": ")
        .append(r.differing())
        .append(" would have gone to another agent.\n");
    if (r.notReproducible() > 0) {
      out.append(r.notReproducible())
          .append(" more could not be re-run: the journal does not give the scores they recorded")
          .append(" (first: ")
          .append(r.unreproducible().get(0).taskId())
          .append(", ")
          .append(r.unreproducible().get(0).why())
          .append(").\n");
    }
    if (r.partlyListed() > 0) {
      out.append(r.partlyListed())
          .append(" had more qualified agents than their reason lists")
          .append(
              " (hive.routing.max-candidates-in-reason): only the listed ones were compared.\n");
    }
    for (Difference d : r.differences().subList(0, Math.min(SHOWN, r.differences().size()))) {
      out.append("  task ")
          .append(d.taskId())
          .append(" attempt ")
          .append(d.attempt())
          .append(" (offset ")
          .append(d.offset())
          .append(", ")
          .append(d.at())
          .append("): went to ")
          .append(d.recorded().agentId())
          .append(" (")
          .append(d.recorded().inputs())
          .append("), the policy picks ")
          .append(d.proposed().agentId())
          .append(" (")
          .append(d.proposed().inputs())
          .append(")\n");
    }
    if (r.differing() > SHOWN) {
      out.append("  … --json lists the first ").append(DecisionReplay.LISTED).append('\n');
    }
    return out.toString();
  }

  static String json(Report r) {
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode root = mapper.createObjectNode();
    root.put("policy", r.policy())
        .put("decisions", r.decisions())
        .put("differing", r.differing())
        .put("not_reproducible", r.notReproducible())
        .put("partly_listed", r.partlyListed())
        .put("last_offset", r.lastOffset());
    ArrayNode differences = root.putArray("differences");
    for (Difference d : r.differences()) {
      ObjectNode n = differences.addObject();
      n.put("task_id", d.taskId())
          .put("attempt", d.attempt())
          .put("offset", d.offset())
          .put("at", d.at().toString())
          .put("recorded_score", d.recordedScore());
      scored(n.putObject("recorded"), d.recorded());
      scored(n.putObject("proposed"), d.proposed());
    }
    ArrayNode unreproducible = root.putArray("not_reproducible_decisions");
    for (Unreproducible u : r.unreproducible()) {
      unreproducible
          .addObject()
          .put("task_id", u.taskId())
          .put("attempt", u.attempt())
          .put("offset", u.offset())
          .put("at", u.at().toString())
          .put("why", u.why());
    }
    return root.toString();
  }

  private static void scored(ObjectNode n, Scored s) {
    n.put("agent_id", s.agentId()).put("score", s.score()).put("inputs", s.inputs());
  }
}
