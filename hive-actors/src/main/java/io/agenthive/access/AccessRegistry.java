package io.agenthive.access;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.pattern.StatusReply;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.javadsl.CommandHandler;
import akka.persistence.typed.javadsl.Effect;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehavior;
import akka.persistence.typed.javadsl.RetentionCriteria;
import io.agenthive.common.CborSerializable;
import io.agenthive.common.HiveSettings;
import io.agenthive.common.LocalOnly;
import io.agenthive.common.Refusal;
import io.agenthive.common.Singletons;
import io.agenthive.common.Subscribers;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Who may use the hub: API keys, local users and their refresh tokens, journaled. A cluster
 * singleton (even on one node). Secrets never reach it: it gets and keeps hashes, made by the HTTP
 * layer, which also checks passwords (bcrypt is slow: not on an actor's thread).
 *
 * <p>Protocol: keys ({@link CreateKey}, {@link RevokeKey}), users ({@link CreateUser}, {@link
 * ChangeUser}, {@link RemoveUser}), refresh tokens ({@link IssueRefresh}, {@link RotateRefresh},
 * {@link RevokeRefresh}), {@link RecordFailedLogin}, {@link GetState}; every node {@link
 * Subscribe}s to the key ring and gets it again on every key change, so a revoked key is refused
 * everywhere at once. Refusals are typed replies; journal failures restart it with backoff.
 */
public final class AccessRegistry
    extends EventSourcedBehavior<AccessRegistry.Command, AccessEvent, AccessState> {

  public static final String NAME = "access-registry";

  public sealed interface Command extends CborSerializable
      permits CreateKey,
          RevokeKey,
          CreateUser,
          ChangeUser,
          RemoveUser,
          IssueRefresh,
          RotateRefresh,
          RevokeRefresh,
          RecordFailedLogin,
          GetState,
          Subscribe,
          SubscriberGone {}

  /**
   * A new key. With {@code onlyIfNone} it is made only while the hub has no key at all (the first
   * admin key, made at start: on a cluster, only the first node to ask makes one); otherwise the
   * answer is a conflict.
   */
  public record CreateKey(
      String keyId,
      String name,
      Role role,
      String secretHash,
      String by,
      boolean onlyIfNone,
      ActorRef<StatusReply<AccessState.Key>> replyTo)
      implements Command {}

  public record RevokeKey(String keyId, String by, ActorRef<StatusReply<AccessState.Key>> replyTo)
      implements Command {}

  public record CreateUser(
      String username,
      Role role,
      String passwordHash,
      String by,
      ActorRef<StatusReply<AccessState.User>> replyTo)
      implements Command {}

  /** A new role and/or password hash; null leaves it as it is. */
  public record ChangeUser(
      String username,
      Role role,
      String passwordHash,
      String by,
      ActorRef<StatusReply<AccessState.User>> replyTo)
      implements Command {}

  public record RemoveUser(String username, String by, ActorRef<StatusReply<Done>> replyTo)
      implements Command {}

  public record IssueRefresh(
      String tokenId,
      String username,
      String tokenHash,
      Instant expiresAt,
      ActorRef<StatusReply<Done>> replyTo)
      implements Command {}

  /**
   * Uses refresh token {@code tokenId} (its secret's hash must match, it must not have expired) and
   * replaces it with a new one: one use each. Answers with the user it belongs to.
   */
  public record RotateRefresh(
      String tokenId,
      String tokenHash,
      String newTokenId,
      String newTokenHash,
      Instant newExpiresAt,
      ActorRef<StatusReply<AccessState.User>> replyTo)
      implements Command {}

  /** Ends refresh token {@code tokenId} if {@code tokenHash} is its secret's hash. */
  public record RevokeRefresh(
      String tokenId, String tokenHash, String reason, ActorRef<StatusReply<Done>> replyTo)
      implements Command {}

  public record RecordFailedLogin(String username, String address) implements Command {}

  public record GetState(ActorRef<AccessState> replyTo) implements Command {}

  public record Subscribe(ActorRef<KeyRing> subscriber) implements Command {}

  private record SubscriberGone(ActorRef<KeyRing> subscriber) implements Command, LocalOnly {}

  /**
   * What every node checks requests against without asking: the keys, and each local user's role
   * (so a removed user's or demoted user's access tokens stop working at once, not when they
   * expire).
   */
  public record KeyRing(Map<String, AccessState.Key> keys, Map<String, Role> userRoles)
      implements CborSerializable {
    static KeyRing of(AccessState state) {
      Map<String, Role> roles = new HashMap<>();
      state.users().forEach((name, user) -> roles.put(name, user.role()));
      return new KeyRing(state.keys(), Map.copyOf(roles));
    }
  }

  private final ActorContext<Command> context;
  private final HiveSettings settings;
  // its journal tags, the same for each of its events
  private final Set<String> tags;
  private final Clock clock;
  private final Subscribers<KeyRing, Command> subscribers;

  /** Starts the access registry singleton. */
  public static ActorRef<Command> init(ActorSystem<?> system, HiveSettings settings, Clock clock) {
    return Singletons.init(system, settings, NAME, create(settings, clock));
  }

  public static Behavior<Command> create(HiveSettings settings, Clock clock) {
    return Behaviors.setup(ctx -> new AccessRegistry(ctx, settings, clock));
  }

  private AccessRegistry(ActorContext<Command> context, HiveSettings settings, Clock clock) {
    super(PersistenceId.ofUniqueId("Access|hive"), settings.journalFailureBackoff());
    this.context = context;
    this.subscribers = new Subscribers<>(context, SubscriberGone::new);
    this.settings = settings;
    this.tags = settings.tagsFor(persistenceId().id());
    this.clock = clock;
  }

  @Override
  public AccessState emptyState() {
    return AccessState.empty();
  }

  @Override
  public Set<String> tagsFor(AccessEvent event) {
    return tags;
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(settings.snapshotEvery(), 2);
  }

  @Override
  public CommandHandler<Command, AccessEvent, AccessState> commandHandler() {
    return newCommandHandlerBuilder()
        .forAnyState()
        .onCommand(CreateKey.class, this::onCreateKey)
        .onCommand(RevokeKey.class, this::onRevokeKey)
        .onCommand(CreateUser.class, this::onCreateUser)
        .onCommand(ChangeUser.class, this::onChangeUser)
        .onCommand(RemoveUser.class, this::onRemoveUser)
        .onCommand(
            IssueRefresh.class,
            (s, c) ->
                persistReplying(
                    new AccessEvent.RefreshIssued(
                        c.tokenId(), c.username(), c.tokenHash(), c.expiresAt(), clock.instant()),
                    c.replyTo(),
                    after -> Done.getInstance()))
        .onCommand(RotateRefresh.class, this::onRotateRefresh)
        .onCommand(
            RevokeRefresh.class,
            (s, c) ->
                // only the token's holder may end it: its secret's hash must match, or nothing
                // happens (and the caller learns nothing either way)
                !holds(s.refreshTokens().get(c.tokenId()), c.tokenHash())
                    ? reply(c.replyTo(), StatusReply.ack())
                    : persistReplying(
                        new AccessEvent.RefreshRevoked(c.tokenId(), c.reason(), clock.instant()),
                        c.replyTo(),
                        after -> Done.getInstance()))
        .onCommand(
            RecordFailedLogin.class,
            (s, c) ->
                Effect()
                    .persist(
                        new AccessEvent.LoginFailed(c.username(), c.address(), clock.instant())))
        .onCommand(
            GetState.class,
            (s, c) -> {
              c.replyTo().tell(s);
              return Effect().none();
            })
        .onCommand(
            Subscribe.class,
            (s, c) -> {
              subscribers.subscribe(c.subscriber(), KeyRing.of(s));
              return Effect().none();
            })
        .onCommand(
            SubscriberGone.class,
            (s, c) -> {
              subscribers.gone(c.subscriber());
              return Effect().none();
            })
        .build();
  }

  private Effect<AccessEvent, AccessState> onCreateKey(AccessState s, CreateKey c) {
    if (s.keys().containsKey(c.keyId()) || (c.onlyIfNone() && !s.keys().isEmpty())) {
      return reply(
          c.replyTo(),
          StatusReply.error(
              new Refusal.Conflict(
                  c.onlyIfNone() ? "the hub has keys already" : "key " + c.keyId() + " exists")));
    }
    return persistReplying(
        new AccessEvent.KeyCreated(
            c.keyId(), c.name(), c.role(), c.secretHash(), c.by(), clock.instant()),
        c.replyTo(),
        after -> after.keys().get(c.keyId()));
  }

  private Effect<AccessEvent, AccessState> onRevokeKey(AccessState s, RevokeKey c) {
    AccessState.Key key = s.keys().get(c.keyId());
    if (key == null) {
      return reply(c.replyTo(), StatusReply.error(new Refusal.NotFound("no key " + c.keyId())));
    }
    if (key.revoked()) {
      return reply(c.replyTo(), StatusReply.success(key));
    }
    return persistReplying(
        new AccessEvent.KeyRevoked(c.keyId(), c.by(), clock.instant()),
        c.replyTo(),
        after -> after.keys().get(c.keyId()));
  }

  private Effect<AccessEvent, AccessState> onCreateUser(AccessState s, CreateUser c) {
    if (s.users().containsKey(c.username())) {
      return reply(
          c.replyTo(), StatusReply.error(new Refusal.Conflict("user " + c.username() + " exists")));
    }
    return persistReplying(
        new AccessEvent.UserCreated(
            c.username(), c.role(), c.passwordHash(), c.by(), clock.instant()),
        c.replyTo(),
        after -> after.users().get(c.username()));
  }

  private Effect<AccessEvent, AccessState> onChangeUser(AccessState s, ChangeUser c) {
    if (!s.users().containsKey(c.username())) {
      return reply(c.replyTo(), StatusReply.error(new Refusal.NotFound("no user " + c.username())));
    }
    return persistReplying(
        new AccessEvent.UserChanged(
            c.username(), c.role(), c.passwordHash(), c.by(), clock.instant()),
        c.replyTo(),
        after -> after.users().get(c.username()));
  }

  private Effect<AccessEvent, AccessState> onRemoveUser(AccessState s, RemoveUser c) {
    if (!s.users().containsKey(c.username())) {
      return reply(c.replyTo(), StatusReply.error(new Refusal.NotFound("no user " + c.username())));
    }
    return persistReplying(
        new AccessEvent.UserRemoved(c.username(), c.by(), clock.instant()),
        c.replyTo(),
        after -> Done.getInstance());
  }

  private static boolean holds(AccessState.Refresh token, String tokenHash) {
    return token != null && MessageDigest.isEqual(bytes(token.tokenHash()), bytes(tokenHash));
  }

  private Effect<AccessEvent, AccessState> onRotateRefresh(AccessState s, RotateRefresh c) {
    AccessState.Refresh token = s.refreshTokens().get(c.tokenId());
    Instant now = clock.instant();
    Refusal gone = new Refusal.NotFound("the refresh token is unknown, used, revoked or expired");
    if (holds(token, c.tokenHash()) && token.used()) {
      // a token used once comes back: someone holds a copy, so the whole login ends
      return Effect()
          .persist(
              new AccessEvent.RefreshFamilyRevoked(
                  token.familyId(), token.username(), "reuse", now))
          .thenRun(after -> c.replyTo().tell(StatusReply.error(gone)));
    }
    if (!holds(token, c.tokenHash())
        || !token.expiresAt().isAfter(now)
        || !s.users().containsKey(token.username())) {
      return reply(c.replyTo(), StatusReply.error(gone));
    }
    return Effect()
        .persist(
            List.of(
                new AccessEvent.RefreshRevoked(c.tokenId(), "rotated", now),
                new AccessEvent.RefreshIssued(
                    c.newTokenId(),
                    token.username(),
                    c.newTokenHash(),
                    c.newExpiresAt(),
                    now,
                    token.familyId())))
        .thenRun(
            after -> c.replyTo().tell(StatusReply.success(after.users().get(token.username()))));
  }

  private static byte[] bytes(String s) {
    return s == null ? new byte[0] : s.getBytes(StandardCharsets.UTF_8);
  }

  private <R> Effect<AccessEvent, AccessState> reply(ActorRef<R> to, R answer) {
    to.tell(answer);
    return Effect().none();
  }

  /** Persists, answers with what {@code answer} reads from the new state, pushes the key ring. */
  private <R> Effect<AccessEvent, AccessState> persistReplying(
      AccessEvent event, ActorRef<StatusReply<R>> to, Function<AccessState, R> answer) {
    return Effect()
        .persist(event)
        .thenRun(
            after -> {
              // every node hears of the change before the caller does
              if (changesKeyRing(event)) {
                subscribers.publish(() -> KeyRing.of(after));
              }
              to.tell(StatusReply.success(answer.apply(after)));
            });
  }

  private static boolean changesKeyRing(AccessEvent event) {
    return event instanceof AccessEvent.KeyCreated
        || event instanceof AccessEvent.KeyRevoked
        || event instanceof AccessEvent.UserCreated
        || event instanceof AccessEvent.UserChanged
        || event instanceof AccessEvent.UserRemoved;
  }

  @Override
  public EventHandler<AccessState, AccessEvent> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(AccessState::apply);
  }
}
