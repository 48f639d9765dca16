package io.agenthive.access;

import io.agenthive.common.CborSerializable;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Keys, users and live refresh tokens, as the access registry's events leave them. Maps are copied
 * on change (changes are rare; a snapshot is serialized while the actor goes on).
 */
public record AccessState(
    Map<String, Key> keys, Map<String, User> users, Map<String, Refresh> refreshTokens)
    implements CborSerializable {

  /** An API key: its public id, name, role and the SHA-256 of its secret (hex). */
  public record Key(
      String id,
      String name,
      Role role,
      String secretHash,
      Instant createdAt,
      String createdBy,
      Instant revokedAt)
      implements CborSerializable {
    public boolean revoked() {
      return revokedAt != null;
    }
  }

  /** A local user: a bcrypt hash of the password. */
  public record User(String username, Role role, String passwordHash, Instant createdAt)
      implements CborSerializable {}

  /** A refresh token not yet used, revoked or expired: the SHA-256 of its secret. */
  /**
   * {@code family}: the first token of its login; {@code used}: rotated already, kept until it
   * expires only so that presenting it again is seen as reuse.
   */
  public record Refresh(
      String id, String username, String tokenHash, Instant expiresAt, String family, boolean used)
      implements CborSerializable {
    public String familyId() {
      return family != null ? family : id;
    }
  }

  public static AccessState empty() {
    return new AccessState(Map.of(), Map.of(), Map.of());
  }

  public AccessState apply(AccessEvent event) {
    Map<String, Key> k = keys;
    Map<String, User> u = users;
    Map<String, Refresh> r = refreshTokens;
    if (event instanceof AccessEvent.KeyCreated e) {
      k =
          with(
              keys,
              e.keyId(),
              new Key(e.keyId(), e.name(), e.role(), e.secretHash(), e.at(), e.by(), null));
    } else if (event instanceof AccessEvent.KeyRevoked e && keys.containsKey(e.keyId())) {
      Key was = keys.get(e.keyId());
      k =
          with(
              keys,
              e.keyId(),
              new Key(
                  was.id(),
                  was.name(),
                  was.role(),
                  was.secretHash(),
                  was.createdAt(),
                  was.createdBy(),
                  e.at()));
    } else if (event instanceof AccessEvent.UserCreated e) {
      u = with(users, e.username(), new User(e.username(), e.role(), e.passwordHash(), e.at()));
    } else if (event instanceof AccessEvent.UserChanged e && users.containsKey(e.username())) {
      // a new password or role ends every session of the user: a stolen one must not outlive it
      r = withoutUser(refreshTokens, e.username());
      User was = users.get(e.username());
      u =
          with(
              users,
              e.username(),
              new User(
                  was.username(),
                  e.role() != null ? e.role() : was.role(),
                  e.passwordHash() != null ? e.passwordHash() : was.passwordHash(),
                  was.createdAt()));
    } else if (event instanceof AccessEvent.UserRemoved e) {
      u = without(users, e.username());
      r = withoutUser(refreshTokens, e.username());
    } else if (event instanceof AccessEvent.RefreshIssued e) {
      r =
          with(
              unexpired(refreshTokens, e.at()),
              e.tokenId(),
              new Refresh(
                  e.tokenId(),
                  e.username(),
                  e.tokenHash(),
                  e.expiresAt(),
                  e.family() != null ? e.family() : e.tokenId(),
                  false));
    } else if (event instanceof AccessEvent.RefreshRevoked e
        && "rotated".equals(e.reason())
        && refreshTokens.containsKey(e.tokenId())) {
      Refresh was = refreshTokens.get(e.tokenId());
      r =
          with(
              refreshTokens,
              e.tokenId(),
              new Refresh(
                  was.id(),
                  was.username(),
                  was.tokenHash(),
                  was.expiresAt(),
                  was.familyId(),
                  true));
    } else if (event instanceof AccessEvent.RefreshRevoked e) {
      r = without(refreshTokens, e.tokenId());
    } else if (event instanceof AccessEvent.RefreshFamilyRevoked e) {
      Map<String, Refresh> copy = new HashMap<>(refreshTokens);
      copy.values().removeIf(t -> t.familyId().equals(e.family()));
      r = Map.copyOf(copy);
    }
    return new AccessState(k, u, r);
  }

  private static <V> Map<String, V> with(Map<String, V> map, String key, V value) {
    Map<String, V> copy = new HashMap<>(map);
    copy.put(key, value);
    return Map.copyOf(copy);
  }

  private static <V> Map<String, V> without(Map<String, V> map, String key) {
    if (!map.containsKey(key)) {
      return map;
    }
    Map<String, V> copy = new HashMap<>(map);
    copy.remove(key);
    return Map.copyOf(copy);
  }

  private static Map<String, Refresh> withoutUser(Map<String, Refresh> map, String username) {
    Map<String, Refresh> copy = new HashMap<>(map);
    copy.values().removeIf(t -> t.username().equals(username));
    return Map.copyOf(copy);
  }

  /** Expired refresh tokens are forgotten as new ones are issued, so the state stays small. */
  private static Map<String, Refresh> unexpired(Map<String, Refresh> map, Instant now) {
    if (map.values().stream().noneMatch(t -> t.expiresAt().isBefore(now))) {
      return map;
    }
    Map<String, Refresh> copy = new HashMap<>(map);
    copy.values().removeIf(t -> t.expiresAt().isBefore(now));
    return Map.copyOf(copy);
  }
}
