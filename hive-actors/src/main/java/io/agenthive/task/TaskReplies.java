package io.agenthive.task;

import io.agenthive.common.CborSerializable;
import java.time.Instant;
import java.util.List;

/**
 * What a task entity answers: to a submission ({@link SubmitReply}), to an agent's start ({@link
 * StartReply}), and after a settle ({@link Verdict}). Apart from {@link TaskEntity} so the entity's
 * file holds its behaviour.
 */
public final class TaskReplies {
  private TaskReplies() {}

  public sealed interface SubmitReply extends CborSerializable {}

  public record Accepted(Task task, boolean created) implements SubmitReply {}

  public record QueueFull(int bound) implements SubmitReply {}

  public record Unavailable(String message) implements SubmitReply {}

  public sealed interface StartReply extends CborSerializable {}

  /**
   * Run attempt {@code attempt}; {@code dependencies}: what the tasks it waited for left it; {@code
   * run}: the attempt's number without the lost attempts before it ({@link Task#run}).
   */
  public record Run(int attempt, TaskSpec spec, List<DependencyOutput> dependencies, int run)
      implements StartReply {
    public Run(int attempt, TaskSpec spec) {
      this(attempt, spec, null, attempt);
    }
  }

  public record Refused(TaskStatus status, String why) implements StartReply {}

  /**
   * Where a task stands after a settle: terminal, or pending again not before {@code retryAt}.
   * {@code ended}: this settle ended the attempt (false for a stale or repeated one).
   */
  public record Verdict(String taskId, TaskStatus status, Instant retryAt, boolean ended)
      implements CborSerializable {}
}
