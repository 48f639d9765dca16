package io.agenthive.budget;

import akka.actor.typed.ActorRef;
import com.fasterxml.jackson.databind.JsonNode;
import io.agenthive.task.Task;
import io.agenthive.task.TaskEvent;
import io.agenthive.task.TaskSpending;
import java.util.List;

/**
 * Turns a task's journaled attempt ends into {@link Spend}s for the ledger: tokens as the agent's
 * record counts them, the model and the input/output split from the {@code llm} skill's {@code
 * usage} when the attempt left one, cost by the price table. Attempts that spent no tokens send
 * nothing, so a hive without LLM agents never talks to the ledger.
 */
public final class SpendMeter implements TaskSpending {
  private final ActorRef<BudgetLedger.Command> ledger;
  private final PriceTable prices;

  public SpendMeter(ActorRef<BudgetLedger.Command> ledger, PriceTable prices) {
    this.ledger = ledger;
    this.prices = prices;
  }

  @Override
  public void journaled(Task after, List<TaskEvent> events) {
    for (TaskEvent e : events) {
      var outcome = e.agentOutcome();
      if (outcome == null || outcome.tokens() <= 0) {
        continue;
      }
      JsonNode output =
          e instanceof TaskEvent.TaskCompleted c && c.result() != null ? c.result().output() : null;
      ledger.tell(
          new BudgetLedger.Record(spend(after, e, outcome.agentId(), outcome.tokens(), output)));
    }
  }

  Spend spend(Task task, TaskEvent e, String agentId, long tokens, JsonNode output) {
    JsonNode usage = output == null ? null : output.get("usage");
    String model =
        output != null && output.hasNonNull("model") ? output.get("model").asText() : null;
    long in = usage == null ? tokens : usage.path("input_tokens").asLong(tokens);
    long out = usage == null ? 0 : usage.path("output_tokens").asLong(0);
    var deps = task.spec().dependencies();
    return new Spend(
        task.id(),
        attempt(e),
        agentId,
        deps == null ? null : deps.workflowId(),
        task.submittedBy(),
        model,
        tokens,
        prices.cost(model, in, out),
        e.at());
  }

  private static int attempt(TaskEvent e) {
    if (e instanceof TaskEvent.TaskCompleted c) {
      return c.attempt();
    } else if (e instanceof TaskEvent.TaskFailed f) {
      return f.attempt();
    } else if (e instanceof TaskEvent.TaskTimedOut t) {
      return t.attempt();
    } else if (e instanceof TaskEvent.TaskAwaitingSubtasks w) {
      return w.attempt();
    }
    return 0;
  }
}
