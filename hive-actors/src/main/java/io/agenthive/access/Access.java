package io.agenthive.access;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import akka.pattern.StatusReply;
import io.agenthive.common.HiveException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The access registry as boundaries use it: bounded asks turned into values or a failed stage with
 * a {@link HiveException}, and this node's copy of the key ring, read without asking.
 */
public final class Access {
  private final ActorRef<AccessRegistry.Command> registry;
  private final AtomicReference<AccessRegistry.KeyRing> ring;
  private final ActorSystem<?> system;
  private final Duration timeout;

  public Access(
      ActorRef<AccessRegistry.Command> registry,
      AtomicReference<AccessRegistry.KeyRing> ring,
      ActorSystem<?> system,
      Duration timeout) {
    this.registry = registry;
    this.ring = ring;
    this.system = system;
    this.timeout = timeout;
  }

  /** The keys as this node knows them (null until the registry first answered). */
  public AccessRegistry.KeyRing keyRing() {
    return ring.get();
  }

  public CompletionStage<AccessState> state() {
    return AskPattern.ask(registry, AccessRegistry.GetState::new, timeout, system.scheduler());
  }

  public CompletionStage<AccessState.Key> createKey(
      String keyId, String name, Role role, String secretHash, Principal by) {
    return unwrap(
        AskPattern.ask(
            registry,
            (ActorRef<StatusReply<AccessState.Key>> r) ->
                new AccessRegistry.CreateKey(keyId, name, role, secretHash, by.label(), false, r),
            timeout,
            system.scheduler()));
  }

  /** The first admin key, made only if the hub has no key yet (a conflict otherwise). */
  public CompletionStage<AccessState.Key> createFirstKey(String keyId, String secretHash) {
    return unwrap(
        AskPattern.ask(
            registry,
            (ActorRef<StatusReply<AccessState.Key>> r) ->
                new AccessRegistry.CreateKey(
                    keyId,
                    "first admin key",
                    Role.ADMIN,
                    secretHash,
                    Principal.HUB.label(),
                    true,
                    r),
            timeout,
            system.scheduler()));
  }

  public CompletionStage<AccessState.Key> revokeKey(String keyId, Principal by) {
    return unwrap(
        AskPattern.ask(
            registry,
            (ActorRef<StatusReply<AccessState.Key>> r) ->
                new AccessRegistry.RevokeKey(keyId, by.label(), r),
            timeout,
            system.scheduler()));
  }

  public CompletionStage<AccessState.User> createUser(
      String username, Role role, String passwordHash, Principal by) {
    return unwrap(
        AskPattern.ask(
            registry,
            (ActorRef<StatusReply<AccessState.User>> r) ->
                new AccessRegistry.CreateUser(username, role, passwordHash, by.label(), r),
            timeout,
            system.scheduler()));
  }

  public CompletionStage<AccessState.User> changeUser(
      String username, Role role, String passwordHash, Principal by) {
    return unwrap(
        AskPattern.ask(
            registry,
            (ActorRef<StatusReply<AccessState.User>> r) ->
                new AccessRegistry.ChangeUser(username, role, passwordHash, by.label(), r),
            timeout,
            system.scheduler()));
  }

  public CompletionStage<Done> removeUser(String username, Principal by) {
    return unwrap(
        AskPattern.ask(
            registry,
            (ActorRef<StatusReply<Done>> r) ->
                new AccessRegistry.RemoveUser(username, by.label(), r),
            timeout,
            system.scheduler()));
  }

  public CompletionStage<Done> issueRefresh(
      String tokenId, String username, String tokenHash, Instant expiresAt) {
    return unwrap(
        AskPattern.ask(
            registry,
            (ActorRef<StatusReply<Done>> r) ->
                new AccessRegistry.IssueRefresh(tokenId, username, tokenHash, expiresAt, r),
            timeout,
            system.scheduler()));
  }

  public CompletionStage<AccessState.User> rotateRefresh(
      String tokenId,
      String tokenHash,
      String newTokenId,
      String newTokenHash,
      Instant newExpiresAt) {
    return unwrap(
        AskPattern.ask(
            registry,
            (ActorRef<StatusReply<AccessState.User>> r) ->
                new AccessRegistry.RotateRefresh(
                    tokenId, tokenHash, newTokenId, newTokenHash, newExpiresAt, r),
            timeout,
            system.scheduler()));
  }

  /** Ends the refresh token if {@code tokenHash} is its secret's; else changes nothing. */
  public CompletionStage<Done> revokeRefresh(String tokenId, String tokenHash, String reason) {
    return unwrap(
        AskPattern.ask(
            registry,
            (ActorRef<StatusReply<Done>> r) ->
                new AccessRegistry.RevokeRefresh(tokenId, tokenHash, reason, r),
            timeout,
            system.scheduler()));
  }

  public void recordFailedLogin(String username, String address) {
    registry.tell(new AccessRegistry.RecordFailedLogin(username, address));
  }

  private static <T> CompletionStage<T> unwrap(CompletionStage<StatusReply<T>> reply) {
    return HiveException.unwrap(reply);
  }
}
