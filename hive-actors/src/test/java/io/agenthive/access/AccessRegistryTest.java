package io.agenthive.access;

import static org.junit.jupiter.api.Assertions.*;

import akka.Done;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.pattern.StatusReply;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import com.typesafe.config.ConfigFactory;
import io.agenthive.common.HiveSettings;
import io.agenthive.common.Refusal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The access registry on its own: keys and users journaled with who and when, refusals as typed
 * replies that journal nothing, refresh tokens used once (a reused one ends its login), the key
 * ring pushed to subscribers before the caller hears, and recovery.
 */
class AccessRegistryTest {
  static final ActorTestKit kit =
      ActorTestKit.create(
          EventSourcedBehaviorTestKit.config()
              .withFallback(ConfigFactory.load("application-test")));
  static final HiveSettings settings = HiveSettings.from(kit.system().settings().config());
  static final Instant T = Instant.parse("2026-12-02T10:15:00Z");

  EventSourcedBehaviorTestKit<AccessRegistry.Command, AccessEvent, AccessState> registry;

  @AfterAll
  static void shutdown() {
    kit.shutdownTestKit();
  }

  @BeforeEach
  void create() {
    registry =
        EventSourcedBehaviorTestKit.create(
            kit.system(), AccessRegistry.create(settings, Clock.fixed(T, ZoneOffset.UTC)));
    // one system for the class and a fixed persistence id: each test starts from an empty journal
    registry.clear();
  }

  StatusReply<AccessState.Key> createKey(String id, boolean onlyIfNone) {
    return registry
        .<StatusReply<AccessState.Key>>runCommand(
            r ->
                new AccessRegistry.CreateKey(
                    id, "ci", Role.OPERATOR, "h-" + id, "hub", onlyIfNone, r))
        .reply();
  }

  void createUser(String name) {
    var created =
        registry.<StatusReply<AccessState.User>>runCommand(
            r -> new AccessRegistry.CreateUser(name, Role.VIEWER, "bcrypt", "user:admin", r));
    assertEquals(
        new AccessEvent.UserCreated(name, Role.VIEWER, "bcrypt", "user:admin", T), created.event());
  }

  @Test
  void aKeyIsJournaledWithWhoAndWhenAndTheFirstAdminKeyIsMadeOnlyOnce() {
    var first =
        registry.<StatusReply<AccessState.Key>>runCommand(
            r -> new AccessRegistry.CreateKey("k1", "ci", Role.ADMIN, "h1", "hub", true, r));
    assertEquals(new AccessEvent.KeyCreated("k1", "ci", Role.ADMIN, "h1", "hub", T), first.event());
    assertEquals(
        new AccessState.Key("k1", "ci", Role.ADMIN, "h1", T, "hub", null),
        first.reply().getValue());

    var second =
        registry.<StatusReply<AccessState.Key>>runCommand(
            r -> new AccessRegistry.CreateKey("k2", "ci", Role.ADMIN, "h2", "hub", true, r));
    assertTrue(second.hasNoEvents(), "a node that asks second makes no key");
    assertInstanceOf(Refusal.Conflict.class, second.reply().getError());
    assertInstanceOf(Refusal.Conflict.class, createKey("k1", false).getError(), "ids are unique");
    assertEquals(List.of("k1"), List.copyOf(registry.getState().keys().keySet()));
  }

  @Test
  void refusalsAreTypedRepliesThatJournalNothing() {
    var revoke =
        registry.<StatusReply<AccessState.Key>>runCommand(
            r -> new AccessRegistry.RevokeKey("nope", "user:admin", r));
    assertTrue(revoke.hasNoEvents());
    assertInstanceOf(Refusal.NotFound.class, revoke.reply().getError());
    var change =
        registry.<StatusReply<AccessState.User>>runCommand(
            r -> new AccessRegistry.ChangeUser("nobody", Role.ADMIN, null, "user:admin", r));
    assertTrue(change.hasNoEvents());
    assertInstanceOf(Refusal.NotFound.class, change.reply().getError());

    createUser("ann");
    var twice =
        registry.<StatusReply<AccessState.User>>runCommand(
            r -> new AccessRegistry.CreateUser("ann", Role.ADMIN, "other", "user:admin", r));
    assertTrue(twice.hasNoEvents());
    assertInstanceOf(Refusal.Conflict.class, twice.reply().getError());
    assertEquals(Role.VIEWER, twice.state().users().get("ann").role(), "the first one stands");
  }

  @Test
  void subscribersGetTheKeyRingAtOnceAndAgainOnEveryKeyChange() {
    TestProbe<AccessRegistry.KeyRing> node = kit.createTestProbe();
    registry.runCommand(new AccessRegistry.Subscribe(node.getRef()));
    assertTrue(node.receiveMessage().keys().isEmpty());
    createKey("k1", false);
    assertFalse(node.receiveMessage().keys().get("k1").revoked());
    var revoked =
        registry.<StatusReply<AccessState.Key>>runCommand(
            r -> new AccessRegistry.RevokeKey("k1", "user:admin", r));
    assertEquals(new AccessEvent.KeyRevoked("k1", "user:admin", T), revoked.event());
    assertTrue(node.receiveMessage().keys().get("k1").revoked(), "a revoked key, everywhere");
    createUser("ann");
    assertEquals(Role.VIEWER, node.receiveMessage().userRoles().get("ann"));
    registry.runCommand(new AccessRegistry.RecordFailedLogin("ann", "10.0.0.1"));
    node.expectNoMessage(); // a failed login changes no one's access
  }

  @Test
  void aRefreshTokenRotatesOnceAndItsReuseEndsTheWholeLogin() {
    createUser("ann");
    Instant later = T.plusSeconds(3600);
    registry.<StatusReply<Done>>runCommand(
        r -> new AccessRegistry.IssueRefresh("r1", "ann", "s1", later, r));
    var rotated =
        registry.<StatusReply<AccessState.User>>runCommand(
            r -> new AccessRegistry.RotateRefresh("r1", "s1", "r2", "s2", later, r));
    assertEquals(
        List.of(
            new AccessEvent.RefreshRevoked("r1", "rotated", T),
            new AccessEvent.RefreshIssued("r2", "ann", "s2", later, T, "r1")),
        rotated.events());
    assertEquals("ann", rotated.reply().getValue().username());

    var wrongSecret =
        registry.<StatusReply<AccessState.User>>runCommand(
            r -> new AccessRegistry.RotateRefresh("r2", "guess", "r3", "s3", later, r));
    assertTrue(wrongSecret.hasNoEvents());
    assertInstanceOf(Refusal.NotFound.class, wrongSecret.reply().getError());

    var reused =
        registry.<StatusReply<AccessState.User>>runCommand(
            r -> new AccessRegistry.RotateRefresh("r1", "s1", "r4", "s4", later, r));
    assertEquals(new AccessEvent.RefreshFamilyRevoked("r1", "ann", "reuse", T), reused.event());
    assertInstanceOf(Refusal.NotFound.class, reused.reply().getError());
    var afterReuse =
        registry.<StatusReply<AccessState.User>>runCommand(
            r -> new AccessRegistry.RotateRefresh("r2", "s2", "r5", "s5", later, r));
    assertTrue(afterReuse.reply().isError(), "the newer token of that login ended too");
  }

  @Test
  void recoveryRebuildsTheSameStateFromItsEvents() {
    createKey("k1", true);
    createUser("ann");
    registry.<StatusReply<Done>>runCommand(
        r -> new AccessRegistry.IssueRefresh("r1", "ann", "s1", T.plusSeconds(60), r));
    registry.<StatusReply<AccessState.User>>runCommand(
        r -> new AccessRegistry.ChangeUser("ann", Role.OPERATOR, null, "user:admin", r));
    AccessState before = registry.getState();
    assertEquals(Role.OPERATOR, before.users().get("ann").role());
    assertEquals(before, registry.restart().state());
  }
}
