package io.agenthive.skill;

import akka.actor.typed.ActorSystem;
import com.fasterxml.jackson.databind.JsonNode;

/** What a skill gets at creation: its agent, its own config from registration, the system. */
public record SkillContext(String agentId, JsonNode config, ActorSystem<?> system) {}
