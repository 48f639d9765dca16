package io.agenthive.access;

import io.agenthive.common.CborSerializable;
import java.time.Instant;

/**
 * The history of who may use the hub: keys, users, refresh tokens and failed logins. Hashes only,
 * never a secret; {@link #redacted} drops even those for anything shown outside the hub (the event
 * feed, the audit stream, exports). {@code by} is the principal who made the change.
 */
public sealed interface AccessEvent extends CborSerializable {
  Instant at();

  /** The same event without its hash, for showing. */
  AccessEvent redacted();

  record KeyCreated(String keyId, String name, Role role, String secretHash, String by, Instant at)
      implements AccessEvent {
    @Override
    public AccessEvent redacted() {
      return new KeyCreated(keyId, name, role, null, by, at);
    }
  }

  record KeyRevoked(String keyId, String by, Instant at) implements AccessEvent {
    @Override
    public AccessEvent redacted() {
      return this;
    }
  }

  record UserCreated(String username, Role role, String passwordHash, String by, Instant at)
      implements AccessEvent {
    @Override
    public AccessEvent redacted() {
      return new UserCreated(username, role, null, by, at);
    }
  }

  /** A new role and/or password (null: unchanged). */
  record UserChanged(String username, Role role, String passwordHash, String by, Instant at)
      implements AccessEvent {
    @Override
    public AccessEvent redacted() {
      return new UserChanged(username, role, null, by, at);
    }
  }

  record UserRemoved(String username, String by, Instant at) implements AccessEvent {
    @Override
    public AccessEvent redacted() {
      return this;
    }
  }

  record RefreshIssued(
      String tokenId, String username, String tokenHash, Instant expiresAt, Instant at)
      implements AccessEvent {
    @Override
    public AccessEvent redacted() {
      return new RefreshIssued(tokenId, username, null, expiresAt, at);
    }
  }

  record RefreshRevoked(String tokenId, String reason, Instant at) implements AccessEvent {
    @Override
    public AccessEvent redacted() {
      return this;
    }
  }

  record LoginFailed(String username, String address, Instant at) implements AccessEvent {
    @Override
    public AccessEvent redacted() {
      return this;
    }
  }
}
