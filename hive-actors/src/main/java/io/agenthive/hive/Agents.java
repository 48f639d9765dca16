package io.agenthive.hive;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.pattern.StatusReply;
import io.agenthive.access.Principal;
import io.agenthive.access.Role;
import io.agenthive.agent.AgentActor;
import io.agenthive.agent.AgentLifecycle;
import io.agenthive.agent.AgentProtocol;
import io.agenthive.agent.AgentSpec;
import io.agenthive.agent.AgentView;
import io.agenthive.common.Failures;
import io.agenthive.common.FieldError;
import io.agenthive.common.HiveException;
import io.agenthive.common.HiveLimits;
import io.agenthive.common.HiveSettings;
import io.agenthive.matcher.MatcherProtocol;
import io.agenthive.skill.SkillCheck;
import io.agenthive.skill.SkillFactory;
import io.agenthive.skill.SkillRegistry;
import io.agenthive.skill.SkillRules;
import io.agenthive.skill.guard.EgressPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Agents, for the boundaries: register (validated, its skill's config checked), read (as the
 * matcher knows it), and change state (pause, resume, retire). One bounded ask each.
 */
public final class Agents {
  private final ActorSystem<?> system;
  private final HiveSettings settings;
  private final HiveLimits limits;
  private final SkillRegistry skills;
  private final ActorRef<MatcherProtocol.Command> matcher;
  private final ClusterSharding sharding;

  Agents(
      ActorSystem<?> system,
      HiveSettings settings,
      SkillRegistry skills,
      ActorRef<MatcherProtocol.Command> matcher) {
    this.system = system;
    this.settings = settings;
    this.limits = HiveLimits.get(system);
    this.skills = skills;
    this.matcher = matcher;
    this.sharding = ClusterSharding.get(system);
  }

  /** Registers an agent for {@code by}, who is journaled with it. */
  public CompletionStage<AgentView> register(AgentSpec spec, Principal by) {
    List<FieldError> errors = new ArrayList<>(spec.validate(skills.names()));
    errors.addAll(InputLimits.agent(spec, limits));
    SkillRules rules = new SkillRules(limits, EgressPolicy.get(system));
    Optional<SkillFactory> factory =
        errors.isEmpty() ? skills.find(spec.skill().name()) : Optional.empty();
    factory.ifPresent(
        f ->
            f.validateConfig(spec.skill().config(), rules)
                .forEach(e -> errors.add(configError(e))));
    if (!errors.isEmpty()) {
      return CompletableFuture.failedFuture(HiveException.invalid(errors));
    }
    if (factory.isEmpty()) {
      return journal(spec, by);
    }
    // a check that needs I/O (an a2a agent's card) runs only once the config's shape is sound
    return checkRemote(factory.get(), spec, rules)
        .thenCompose(
            check -> {
              if (!check.errors().isEmpty()) {
                return CompletableFuture.failedFuture(
                    HiveException.invalid(
                        check.errors().stream().map(Agents::configError).toList()));
              }
              return journal(SeededCapabilities.apply(spec, check.offeredCapabilities()), by);
            });
  }

  /** A check that throws or fails (a plugin's bug) is the config's error, never a 500. */
  private CompletionStage<SkillCheck> checkRemote(
      SkillFactory factory, AgentSpec spec, SkillRules rules) {
    CompletionStage<SkillCheck> check;
    try {
      check = factory.checkRemote(spec.skill().config(), rules, system);
    } catch (RuntimeException e) {
      check = CompletableFuture.failedFuture(e);
    }
    return check.exceptionally(
        e ->
            new SkillCheck(
                List.of(
                    new FieldError("", "could not be checked: " + Failures.cause(e).getMessage())),
                List.of()));
  }

  private CompletionStage<AgentView> journal(AgentSpec spec, Principal by) {
    String agentId = UUID.randomUUID().toString();
    return HiveException.unwrap(
        sharding
            .entityRefFor(AgentActor.TYPE_KEY, agentId)
            .ask(
                (ActorRef<StatusReply<AgentView>> r) ->
                    new AgentProtocol.Register(spec, by.label(), r),
                settings.askTimeout()));
  }

  private static FieldError configError(FieldError e) {
    return new FieldError(
        e.field().isEmpty() ? "skill.config" : "skill.config." + e.field(), e.message());
  }

  /** One agent as the matcher knows it: stats, proficiencies, what it runs. */
  public CompletionStage<Optional<AgentView>> get(String agentId) {
    CompletionStage<StatusReply<AgentView>> reply =
        AskPattern.ask(
            matcher,
            (ActorRef<StatusReply<AgentView>> r) -> new MatcherProtocol.GetAgent(agentId, r),
            settings.askTimeout(),
            system.scheduler());
    return reply.thenApply(r -> r.isSuccess() ? Optional.of(r.getValue()) : Optional.empty());
  }

  /**
   * Pauses, resumes or retires an agent for {@code by}, who is journaled with the change; {@code
   * drain} lets a retiring agent finish its tasks.
   */
  public CompletionStage<AgentView> changeState(
      String agentId, AgentLifecycle.Transition transition, boolean drain, Principal by) {
    // the agent journals the change and the matcher answers, two hops
    return HiveException.unwrap(
        sharding
            .entityRefFor(AgentActor.TYPE_KEY, agentId)
            .ask(
                (ActorRef<StatusReply<AgentView>> r) ->
                    new AgentProtocol.ChangeState(
                        transition, drain, by.label(), by.role().covers(Role.ADMIN), r),
                settings.askTimeout().multipliedBy(2)));
  }
}
