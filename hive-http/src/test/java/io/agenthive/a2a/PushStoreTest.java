package io.agenthive.a2a;

import static org.junit.jupiter.api.Assertions.*;

import io.agenthive.access.Principal;
import io.agenthive.access.Role;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The push config store's caps, ownership and hand-over between watches, without a hub. */
class PushStoreTest {
  static A2aSettings settings(int maxTasks, int perCaller) {
    return new A2aSettings(
        "",
        Duration.ofMillis(250),
        Duration.ofSeconds(30),
        Duration.ofSeconds(15),
        Duration.ofMinutes(30),
        100,
        16,
        10,
        maxTasks,
        perCaller,
        Duration.ofHours(24),
        Duration.ofSeconds(10),
        Duration.ofSeconds(5),
        true);
  }

  static PushConfig config(String task, String id, String owner) {
    return new PushConfig(
        task, id, "https://example.org/hook", null, null, null, A2aVersion.V1_0, owner);
  }

  static Principal operator(String id) {
    return new Principal(Principal.Kind.KEY, id, Role.OPERATOR);
  }

  @Test
  void concurrentAddsNeverOvershootTheNodeOrCallerCap() throws Exception {
    PushStore store = new PushStore(settings(50, 30));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    CountDownLatch go = new CountDownLatch(1);
    AtomicInteger kept = new AtomicInteger();
    AtomicInteger keptByA = new AtomicInteger();
    List<Future<?>> all = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      String task = "t" + i;
      String owner = i % 2 == 0 ? "key:a" : "key:b";
      all.add(
          pool.submit(
              () -> {
                go.await();
                try {
                  store.add(config(task, "c", owner), null, null);
                  kept.incrementAndGet();
                  if (owner.equals("key:a")) {
                    keptByA.incrementAndGet();
                  }
                } catch (A2aError e) {
                  assertEquals(503, e.httpStatus, e.getMessage());
                }
                return null;
              }));
    }
    go.countDown();
    for (Future<?> f : all) {
      f.get(10, TimeUnit.SECONDS);
    }
    pool.shutdown();
    assertEquals(50, kept.get());
    assertTrue(keptByA.get() <= 30, "caller a kept " + keptByA.get());
  }

  @Test
  void aReservedSlotIsTakenByTheNewTaskOrGivenBack() {
    PushStore store = new PushStore(settings(1, 1));
    PushStore.Slot slot = store.reserveNewTask("key:a");
    assertThrows(A2aError.class, () -> store.reserveNewTask("key:b"));
    slot.release();
    PushStore.Slot again = store.reserveNewTask("key:a");
    assertNotNull(store.add(config("t1", "c", "key:a"), null, again));
    again.release(); // taken: giving it back does nothing
    assertThrows(A2aError.class, () -> store.add(config("t2", "c", "key:b"), null, null));
  }

  @Test
  void onlyTheOwnerOrAnAdminSeesAndDeletesAConfig() {
    PushStore store = new PushStore(settings(10, 10));
    store.add(config("t", "c", "key:a"), null, null);
    assertTrue(store.visible("t", operator("b")).isEmpty());
    assertFalse(store.delete("t", "c", operator("b")));
    assertThrows(A2aError.class, () -> store.add(config("t", "c", "key:b"), null, null));
    assertEquals(1, store.visible("t", new Principal(Principal.Kind.KEY, "x", Role.ADMIN)).size());
    assertTrue(store.delete("t", "c", operator("a")));
  }

  @Test
  void aConfigSetWhileTheWatchEndsIsHandedToANewWatch() {
    PushStore store = new PushStore(settings(10, 10));
    PushStore.Start first = store.add(config("t", "c1", "key:a"), null, null);
    Map<String, PushStore.Kept> told = store.configs("t");
    assertNull(store.add(config("t", "c2", "key:b"), null, null)); // the watch runs
    PushStore.Start next = store.finished("t", first.watch(), k -> told.get(k.config().id()) == k);
    assertNotNull(next);
    assertEquals("c2", next.as().config().id());
    assertEquals(List.of("c2"), List.copyOf(store.configs("t").keySet()));
    // a stale watch ending touches nothing
    assertNull(store.finished("t", first.watch(), k -> true));
    assertEquals(1, store.configs("t").size());
    assertNull(store.finished("t", next.watch(), k -> true));
    assertTrue(store.configs("t").isEmpty());
  }
}
