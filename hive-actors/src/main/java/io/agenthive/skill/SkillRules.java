package io.agenthive.skill;

import io.agenthive.common.HiveLimits;
import io.agenthive.skill.guard.EgressPolicy;

/**
 * What an agent's skill config is checked against at registration, beyond its own shape: the limits
 * on outside data and where skills may send requests and read secrets.
 */
public record SkillRules(HiveLimits limits, EgressPolicy egress) {}
