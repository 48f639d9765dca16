package io.agenthive.skill;

import akka.actor.typed.ActorSystem;
import akka.pattern.Patterns;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import java.time.Duration;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The seed hub's execution model, for demos and tests: each attempt takes a duration drawn from a
 * range and succeeds with probability {@code 0.2 + 0.8 × fitness}. Draws come from a generator
 * seeded per agent, so a given seed gives the same sequence of outcomes. The wait is a scheduler
 * timer, never a sleeping thread.
 */
public final class SimulatedSkill implements Skill {
  public static final String NAME = "simulated";

  private final Duration minDuration;
  private final Duration maxDuration;
  private final Random random;
  private final ActorSystem<?> system;

  SimulatedSkill(Duration min, Duration max, long seed, ActorSystem<?> system) {
    this.minDuration = min;
    this.maxDuration = max;
    this.random = new Random(seed);
    this.system = system;
  }

  @Override
  public CompletionStage<SkillResult> execute(SkillRequest request) {
    long spread = maxDuration.toMillis() - minDuration.toMillis();
    Duration duration =
        minDuration.plusMillis(spread <= 0 ? 0 : (long) (random.nextDouble() * spread));
    double chance = 0.2 + 0.8 * request.fitness();
    boolean success = random.nextDouble() < chance;
    // the message follows "attempt N failed: " wherever it is shown: it says why, not that
    SkillResult result =
        success
            ? SkillResult.succeeded(output(request, duration), 0.8)
            : SkillResult.failed(
                String.format(
                    Locale.ROOT,
                    "simulated failure (fitness %.2f: a %.0f%% chance of success)",
                    request.fitness(),
                    chance * 100));
    if (duration.isZero()) {
      return CompletableFuture.completedFuture(result);
    }
    return Patterns.after(
        duration,
        system.classicSystem().scheduler(),
        system.executionContext(),
        () -> CompletableFuture.completedFuture(result));
  }

  private static JsonNode output(SkillRequest request, Duration duration) {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.put("summary", "'" + request.title() + "' done by the simulated skill");
    out.put("fitness", request.fitness());
    out.put("took_ms", duration.toMillis());
    return out;
  }

  public static final class Factory implements SkillFactory {
    @Override
    public String name() {
      return NAME;
    }

    @Override
    public Skill create(SkillContext context) {
      Config defaults = context.system().settings().config().getConfig("hive.skills.simulated");
      JsonNode cfg = context.config();
      long min = millis(cfg, "min_duration_ms", defaults.getDuration("min-duration").toMillis());
      long max = millis(cfg, "max_duration_ms", defaults.getDuration("max-duration").toMillis());
      long seed =
          cfg != null && cfg.hasNonNull("seed")
              ? cfg.get("seed").asLong()
              : defaults.getLong("seed") ^ context.agentId().hashCode();
      return new SimulatedSkill(
          Duration.ofMillis(min), Duration.ofMillis(Math.max(min, max)), seed, context.system());
    }

    private static long millis(JsonNode cfg, String field, long fallback) {
      return cfg != null && cfg.hasNonNull(field) ? Math.max(0, cfg.get(field).asLong()) : fallback;
    }
  }
}
