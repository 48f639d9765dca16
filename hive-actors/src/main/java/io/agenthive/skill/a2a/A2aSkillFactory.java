package io.agenthive.skill.a2a;

import akka.actor.typed.ActorSystem;
import com.fasterxml.jackson.databind.JsonNode;
import io.agenthive.common.Failures;
import io.agenthive.common.FieldError;
import io.agenthive.skill.Skill;
import io.agenthive.skill.SkillCheck;
import io.agenthive.skill.SkillContext;
import io.agenthive.skill.SkillFactory;
import io.agenthive.skill.SkillRules;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Registers {@link A2aSkill} as {@code a2a}. At registration the config's shape and the hub's rules
 * are checked first ({@link #validateConfig}), then the remote agent's card is read and checked
 * ({@link #checkRemote}): reachable, JSON, named, with a JSON-RPC interface at a version the hub
 * speaks. Its skills' ids and tags are offered as capabilities for an agent registered without any.
 */
public final class A2aSkillFactory implements SkillFactory {
  /** The card's read at registration is bounded apart from the calls' own timeout. */
  static final Duration CARD_TIMEOUT = Duration.ofSeconds(5);

  @Override
  public String name() {
    return A2aSkill.NAME;
  }

  @Override
  public Skill create(SkillContext context) {
    return new A2aSkill(context);
  }

  @Override
  public List<FieldError> validateConfig(JsonNode config) {
    return A2aConfig.validate(config);
  }

  @Override
  public List<FieldError> validateConfig(JsonNode config, SkillRules rules) {
    return A2aConfig.validate(config, rules);
  }

  @Override
  public CompletionStage<SkillCheck> checkRemote(
      JsonNode config, SkillRules rules, ActorSystem<?> system) {
    A2aConfig parsed = A2aConfig.parse(config, rules.egress());
    Duration timeout =
        parsed.callTimeout().compareTo(CARD_TIMEOUT) < 0 ? parsed.callTimeout() : CARD_TIMEOUT;
    String cardUrl = parsed.cardUrl();
    A2aHttp http = new A2aHttp(system, parsed.headers(), timeout);
    return http.getCard(cardUrl)
        .thenApply(
            json -> {
              A2aCard card = A2aCard.parse(json, cardUrl);
              List<FieldError> errors = new ArrayList<>();
              String crossHost = parsed.refusalOfInterface(card.rpcUrl());
              if (crossHost != null) {
                errors.add(new FieldError("url", crossHost));
              }
              String literal = rules.egress().refusalOfLiteral(card.rpcUrl());
              if (literal != null) {
                errors.add(new FieldError("url", "the card's JSON-RPC interface: " + literal));
              }
              return new SkillCheck(errors, errors.isEmpty() ? card.skillTerms() : List.of());
            })
        .exceptionally(
            error ->
                SkillCheck.failed(
                    "url",
                    "the agent card at "
                        + cardUrl
                        + " could not be used: "
                        + Failures.cause(error).getMessage()));
  }
}
