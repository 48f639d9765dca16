package io.agenthive.skill;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** Skills with known misbehaviour, plugged in through the real SPI for tests. */
public final class TestSkills {
  private TestSkills() {}

  /** Every attempt fails with a result (not an exception). */
  public static final class AlwaysFails implements SkillFactory {
    public String name() {
      return "always-fails";
    }

    public Skill create(SkillContext context) {
      return request -> CompletableFuture.completedFuture(SkillResult.failed("nope"));
    }
  }

  /** Answers with its input: an output as large as what it was given. */
  public static final class Echo implements SkillFactory {
    public String name() {
      return "echo";
    }

    public Skill create(SkillContext context) {
      return request ->
          CompletableFuture.completedFuture(SkillResult.succeeded(request.input(), null));
    }
  }

  /** Never answers: only the task timeout ends an attempt. */
  public static final class NeverCompletes implements SkillFactory {
    public String name() {
      return "never-completes";
    }

    public Skill create(SkillContext context) {
      return request -> new CompletableFuture<>();
    }
  }

  /** Throws from execute when the input has {@code "explode": true}, else succeeds. */
  public static final class ThrowsOnDemand implements SkillFactory {
    public String name() {
      return "throws-on-demand";
    }

    public Skill create(SkillContext context) {
      return request -> {
        if (request.input() != null && request.input().path("explode").asBoolean(false)) {
          throw new IllegalStateException("boom from the skill");
        }
        return CompletableFuture.completedFuture(
            SkillResult.succeeded(JsonNodeFactory.instance.textNode("fine"), 1.0));
      };
    }
  }

  /** A plug-in whose factory throws: the agent itself fails each time it needs the skill. */
  public static final class BrokenPlugin implements SkillFactory {
    public String name() {
      return "broken-plugin";
    }

    public Skill create(SkillContext context) {
      throw new IllegalStateException("broken plug-in cannot be created");
    }
  }

  /** Finishes a task only when the test opens its gate, keyed by task title. */
  public static final class Gate implements SkillFactory {
    public static final ConcurrentMap<String, CompletableFuture<SkillResult>> GATES =
        new ConcurrentHashMap<>();

    public static CompletableFuture<SkillResult> gate(String title) {
      return GATES.computeIfAbsent(title, t -> new CompletableFuture<>());
    }

    public String name() {
      return "gate";
    }

    public Skill create(SkillContext context) {
      return request -> (CompletionStage<SkillResult>) gate(request.title());
    }
  }

  /**
   * Takes {@code delay_ms} (skill config) per attempt and counts how many attempts run at once: the
   * dataset tests' slow agent. Output: how many records the input had.
   */
  public static final class Paced implements SkillFactory {
    public static final java.util.concurrent.atomic.AtomicInteger RUNNING =
        new java.util.concurrent.atomic.AtomicInteger();
    public static final java.util.concurrent.atomic.AtomicInteger MAX_RUNNING =
        new java.util.concurrent.atomic.AtomicInteger();
    public static final java.util.concurrent.atomic.AtomicInteger STARTED =
        new java.util.concurrent.atomic.AtomicInteger();

    public static void reset() {
      RUNNING.set(0);
      MAX_RUNNING.set(0);
      STARTED.set(0);
    }

    public String name() {
      return "paced";
    }

    public Skill create(SkillContext context) {
      long delay = context.config() == null ? 100 : context.config().path("delay_ms").asLong(100);
      return request -> {
        STARTED.incrementAndGet();
        MAX_RUNNING.accumulateAndGet(RUNNING.incrementAndGet(), Math::max);
        return CompletableFuture.supplyAsync(
            () -> {
              RUNNING.decrementAndGet();
              return SkillResult.succeeded(
                  JsonNodeFactory.instance
                      .objectNode()
                      .put("seen", request.input().path("records").size()),
                  1.0);
            },
            CompletableFuture.delayedExecutor(delay, java.util.concurrent.TimeUnit.MILLISECONDS));
      };
    }
  }
}
