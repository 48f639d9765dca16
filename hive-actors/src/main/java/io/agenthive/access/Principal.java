package io.agenthive.access;

import io.agenthive.common.CborSerializable;

/**
 * Who made a request: an API key (by its public id), a local user, a subject of an OIDC token, an
 * agent calling the hive's tools from its tool loop, or the hub itself. {@link #label} is what the
 * journal records ({@code key:ab12cd34}, {@code user:alice}, {@code oidc:<subject>}, {@code
 * agent:<id>}), never a secret.
 */
public record Principal(Kind kind, String id, Role role) implements CborSerializable {

  public enum Kind {
    KEY,
    USER,
    OIDC,
    AGENT,
    HUB,
    ANONYMOUS
  }

  /** The hub acting on its own (demo, load, the launcher's commands, tests without HTTP). */
  public static final Principal HUB = new Principal(Kind.HUB, "hub", Role.ADMIN);

  /** Anyone, on a hub whose authentication is switched off (loopback only). */
  public static final Principal ANONYMOUS = new Principal(Kind.ANONYMOUS, "anonymous", Role.ADMIN);

  public String label() {
    return switch (kind) {
      case KEY -> "key:" + id;
      case USER -> "user:" + id;
      case OIDC -> "oidc:" + id;
      case AGENT -> "agent:" + id;
      case HUB -> "hub";
      case ANONYMOUS -> "anonymous";
    };
  }
}
