package io.agenthive.schedule;

import akka.actor.typed.ActorRef;
import akka.pattern.StatusReply;
import io.agenthive.common.CborSerializable;
import io.agenthive.common.LocalOnly;
import java.time.Instant;
import java.util.List;

/** What {@link ScheduleKeeper} is asked, and what it tells itself. */
public final class ScheduleProtocol {
  private ScheduleProtocol() {}

  public sealed interface Command extends CborSerializable {}

  public record Create(ScheduleSpec spec, String by, ActorRef<StatusReply<ScheduleEntry>> replyTo)
      implements Command {}

  /** Replaces the definition of an existing schedule (the facade merged the PATCH into it). */
  public record Update(ScheduleSpec spec, String by, ActorRef<StatusReply<ScheduleEntry>> replyTo)
      implements Command {}

  public record Pause(String name, String by, ActorRef<StatusReply<ScheduleEntry>> replyTo)
      implements Command {}

  public record Resume(String name, String by, ActorRef<StatusReply<ScheduleEntry>> replyTo)
      implements Command {}

  public record Delete(String name, String by, ActorRef<StatusReply<String>> replyTo)
      implements Command {}

  /** Fires a manual slot now; answers the history line with its task id. */
  public record Trigger(String name, String by, ActorRef<StatusReply<SlotRecord>> replyTo)
      implements Command {}

  public record Get(String name, ActorRef<StatusReply<ScheduleEntry>> replyTo) implements Command {}

  public record ListAll(ActorRef<Listing> replyTo) implements Command {}

  public record Listing(List<ScheduleEntry> schedules) implements CborSerializable {}

  /** A schedule's timer: evaluate its slots now. */
  record Due(String name) implements Command, LocalOnly {}

  /** The previous firing's task ended or not ({@code overlap: skip}); null: could not tell. */
  record OverlapChecked(String name, Instant slot, Boolean ended) implements Command, LocalOnly {}

  /** A scheduled slot's task was accepted. */
  record SlotAccepted(String name, Instant slot, String taskId) implements Command, LocalOnly {}

  record SlotRefused(String name, Instant slot, Throwable why) implements Command, LocalOnly {}

  /** A trigger's task was accepted (or refused: {@code why}). */
  record ManualDone(
      String name,
      Instant slot,
      String taskId,
      Throwable why,
      ActorRef<StatusReply<SlotRecord>> replyTo)
      implements Command, LocalOnly {}
}
