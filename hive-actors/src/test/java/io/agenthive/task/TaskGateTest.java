package io.agenthive.task;

import static org.junit.jupiter.api.Assertions.*;

import io.agenthive.access.Principal;
import io.agenthive.access.Role;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When time alone changes a gated task, and who may decide an approval. */
class TaskGateTest {
  static final Instant T = Instant.parse("2026-12-01T10:00:00Z");

  static TaskSpec spec(TaskGate gate) {
    return new TaskSpec("t", "", "general", Priority.LOW, List.of(), null, null, 1, 1000L, null)
        .withGate(gate);
  }

  static Task submitted(TaskGate gate, Instant at) {
    return Task.empty("t").apply(new TaskEvent.TaskSubmitted("t", spec(gate), at, null));
  }

  @Test
  void aScheduledTaskWakesAtItsNotBeforeThenOpensAndExpiresOnlyWhileUnstarted() {
    Task t = submitted(new TaskGate(T.plusSeconds(10), T.plusSeconds(60), null, null), T);
    assertEquals(TaskStatus.SCHEDULED, t.status());
    assertEquals(T.plusSeconds(10), t.wakeAt());
    Task due = t.apply(new TaskEvent.TaskDue(T.plusSeconds(10)));
    assertEquals(TaskStatus.PENDING, due.status());
    assertEquals(T.plusSeconds(60), due.wakeAt(), "pending and never started: it may expire");
    Task started = due.apply(new TaskEvent.TaskStarted("a", 1, T.plusSeconds(11), null));
    assertNull(started.wakeAt(), "a started task does not expire");
    Task expired = due.apply(new TaskEvent.TaskExpired(T.plusSeconds(60), T.plusSeconds(60)));
    assertEquals(TaskStatus.EXPIRED, expired.status());
    assertTrue(expired.status().isTerminal());
    assertNull(expired.wakeAt());
  }

  @Test
  void anApprovalTimesOutFromWhenItOpenedAndItsDecisionIsItsOutput() {
    var approval = new TaskGate.Approval("ok?", List.of("user:alice"), 5_000L, null);
    Task t = submitted(TaskGate.approval(approval), T);
    assertEquals(TaskStatus.WAITING_FOR_APPROVAL, t.status());
    assertEquals(T.plusSeconds(5), t.wakeAt());
    Task rejected =
        t.apply(new TaskEvent.TaskDecided(false, "no", null, "user:alice", T.plusSeconds(1)));
    assertEquals(TaskStatus.REJECTED, rejected.status());
    assertEquals("reject", rejected.result().output().get("decision").asText());
    assertEquals("rejected by user:alice: no", rejected.result().error());
    assertNull(rejected.wakeAt());
  }

  @Test
  void onlyTheIdentityNamedOrARoleThatCoversAListedRoleMayDecide() {
    var a = new TaskGate.Approval("ok?", List.of("alice", "key:k1", "role:operator"), null, null);
    assertTrue(a.allows(new Principal(Principal.Kind.USER, "alice", Role.VIEWER)));
    assertTrue(a.allows(new Principal(Principal.Kind.KEY, "k1", Role.VIEWER)));
    assertTrue(a.allows(new Principal(Principal.Kind.USER, "bob", Role.OPERATOR)));
    assertTrue(a.allows(new Principal(Principal.Kind.USER, "root", Role.ADMIN)));
    assertFalse(a.allows(new Principal(Principal.Kind.USER, "bob", Role.VIEWER)));
    var named = new TaskGate.Approval("ok?", List.of("user:alice"), null, null);
    assertFalse(
        named.allows(new Principal(Principal.Kind.USER, "root", Role.ADMIN)),
        "an admin may not decide for the person named");
    assertFalse(named.allows(new Principal(Principal.Kind.KEY, "alice", Role.ADMIN)));
  }

  @Test
  void aWaitForASignalTimesOutAndAWaitForADurationEndsThen() {
    Task signal =
        submitted(new TaskGate(null, null, null, new TaskGate.Wait("go", null, null, 9_000L)), T);
    assertEquals(TaskStatus.WAITING, signal.status());
    assertEquals(T.plusSeconds(9), signal.wakeAt());
    Task timer =
        submitted(new TaskGate(null, null, null, new TaskGate.Wait(null, null, 3_000L, null)), T);
    assertEquals(T.plusSeconds(3), timer.wakeAt());
  }

  @Test
  void badGatesNameTheirField() {
    var bothKinds =
        new TaskGate(
            null,
            null,
            new TaskGate.Approval("x", List.of("alice"), null, null),
            new TaskGate.Wait("go", null, null, null));
    assertTrue(bothKinds.validate().stream().anyMatch(e -> e.field().equals("kind")));
    var backwards = new TaskGate(T.plusSeconds(5), T, null, null);
    assertTrue(backwards.validate().stream().anyMatch(e -> e.field().equals("expires_at")));
    var noApprovers = TaskGate.approval(new TaskGate.Approval("x", List.of(), null, null));
    assertTrue(noApprovers.validate().stream().anyMatch(e -> e.field().equals("approvers")));
  }
}
