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

  /**
   * {@code family}: the first token of the login this one continues (null: it is the first; older
   * journals have none), so a reused token can end its whole chain.
   */
  record RefreshIssued(
      String tokenId,
      String username,
      String tokenHash,
      Instant expiresAt,
      Instant at,
      String family)
      implements AccessEvent {
    public RefreshIssued(
        String tokenId, String username, String tokenHash, Instant expiresAt, Instant at) {
      this(tokenId, username, tokenHash, expiresAt, at, null);
    }

    @com.fasterxml.jackson.annotation.JsonCreator
    public RefreshIssued {}

    @Override
    public AccessEvent redacted() {
      // a token's id is half of what logs it out: nothing shown outside the hub carries it
      return new RefreshIssued(null, username, null, expiresAt, at, null);
    }
  }

  /** {@code reason} "rotated": used once and replaced; it is remembered until it expires. */
  record RefreshRevoked(String tokenId, String reason, Instant at) implements AccessEvent {
    @Override
    public AccessEvent redacted() {
      return new RefreshRevoked(null, reason, at);
    }
  }

  /**
   * Every token of one login ended at once: a used (rotated) token was presented again, so the
   * chain may be stolen (the OAuth 2 Security BCP's reuse detection).
   */
  record RefreshFamilyRevoked(String family, String username, String reason, Instant at)
      implements AccessEvent {
    @Override
    public AccessEvent redacted() {
      return new RefreshFamilyRevoked(null, username, reason, at);
    }
  }

  /**
   * {@code username}: as typed when it names a user, else its digest ({@code sha256:…}): people
   * type passwords into the username field, and an unknown one is often that.
   */
  record LoginFailed(String username, String address, Instant at) implements AccessEvent {
    @Override
    public AccessEvent redacted() {
      return this;
    }
  }
}
