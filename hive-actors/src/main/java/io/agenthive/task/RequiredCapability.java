package io.agenthive.task;

import io.agenthive.common.CborSerializable;

/** A capability a task needs, with the least proficiency an agent must have in it. */
public record RequiredCapability(String name, double minimumProficiency)
    implements CborSerializable {}
