package io.agenthive.schedule;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import akka.pattern.StatusReply;
import io.agenthive.access.Principal;
import io.agenthive.common.FieldError;
import io.agenthive.common.HiveException;
import io.agenthive.common.HiveLimits;
import io.agenthive.common.JsonSize;
import io.agenthive.task.TaskInputLimits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Schedules, for the boundaries (HTTP, MCP): validated here, journaled by the {@link
 * ScheduleKeeper} singleton, each call one bounded ask.
 */
public final class Schedules {
  /** How many next fire times a schedule's view shows. */
  public static final int NEXT_TIMES = 5;

  private final ActorRef<ScheduleProtocol.Command> keeper;
  private final ActorSystem<?> system;
  private final Duration timeout;

  public Schedules(
      ActorRef<ScheduleProtocol.Command> keeper, ActorSystem<?> system, Duration timeout) {
    this.keeper = keeper;
    this.system = system;
    this.timeout = timeout;
  }

  public CompletionStage<ScheduleEntry> create(ScheduleSpec spec, Principal by) {
    return validated(spec, s -> ask(r -> new ScheduleProtocol.Create(s, by.label(), r)));
  }

  /** Replaces the definition of {@code spec.name()} (the boundary merged a PATCH into it). */
  public CompletionStage<ScheduleEntry> update(ScheduleSpec spec, Principal by) {
    return validated(spec, s -> ask(r -> new ScheduleProtocol.Update(s, by.label(), r)));
  }

  public CompletionStage<ScheduleEntry> get(String name) {
    return ask(r -> new ScheduleProtocol.Get(name, r));
  }

  public CompletionStage<List<ScheduleEntry>> list() {
    return AskPattern.ask(keeper, ScheduleProtocol.ListAll::new, timeout, system.scheduler())
        .thenApply(ScheduleProtocol.Listing::schedules);
  }

  public CompletionStage<ScheduleEntry> pause(String name, Principal by) {
    return ask(r -> new ScheduleProtocol.Pause(name, by.label(), r));
  }

  public CompletionStage<ScheduleEntry> resume(String name, Principal by) {
    return ask(r -> new ScheduleProtocol.Resume(name, by.label(), r));
  }

  public CompletionStage<String> delete(String name, Principal by) {
    return ask(r -> new ScheduleProtocol.Delete(name, by.label(), r));
  }

  /** Fires a manual slot now: the history line with the task it made. */
  public CompletionStage<SlotRecord> trigger(String name, Principal by) {
    return ask(r -> new ScheduleProtocol.Trigger(name, by.label(), r));
  }

  private <T> CompletionStage<T> ask(
      akka.japi.function.Function<ActorRef<StatusReply<T>>, ScheduleProtocol.Command> make) {
    return HiveException.unwrap(AskPattern.ask(keeper, make, timeout, system.scheduler()));
  }

  private CompletionStage<ScheduleEntry> validated(
      ScheduleSpec spec, Function<ScheduleSpec, CompletionStage<ScheduleEntry>> then) {
    List<FieldError> errors = errors(spec, HiveLimits.get(system));
    if (!errors.isEmpty()) {
      return CompletableFuture.failedFuture(HiveException.invalid(errors));
    }
    return then.apply(spec);
  }

  /** The schedule's own errors, then its task template's, named {@code task.<field>}. */
  static List<FieldError> errors(ScheduleSpec spec, HiveLimits limits) {
    List<FieldError> errors = new ArrayList<>(spec.validate());
    if (spec.task() != null) {
      spec.task()
          .validate()
          .forEach(e -> errors.add(new FieldError("task." + e.field(), e.message())));
      errors.addAll(TaskInputLimits.check(spec.task(), limits, "task."));
    }
    if (spec.workflow() != null) {
      spec.workflow()
          .validate()
          .forEach(e -> errors.add(new FieldError("workflow." + e.field(), e.message())));
      var steps = spec.workflow().steps();
      for (int i = 0; i < steps.size(); i++) {
        errors.addAll(
            TaskInputLimits.check(steps.get(i).task(), limits, "workflow.tasks[" + i + "]."));
      }
    }
    if (spec.template() != null
        && JsonSize.bytes(spec.template()) > ScheduleSpec.MAX_TEMPLATE_BYTES) {
      String field = spec.workflow() != null ? "workflow" : "task";
      errors.add(
          new FieldError(field, "must be at most " + ScheduleSpec.MAX_TEMPLATE_BYTES + " bytes"));
    }
    return errors;
  }
}
