package io.agenthive.http.api;

import static io.agenthive.testing.Eventually.until;
import static org.junit.jupiter.api.Assertions.*;

import io.agenthive.http.json.ApiError;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Task stream places: concurrent requests cannot overshoot the node's cap (it was checked, then
 * counted later), one caller cannot take more than its share, and a place is given back once.
 */
class TaskStreamRoomsTest {
  @Test
  void concurrentRequestsNeverOvershootTheCap() throws Exception {
    TaskStreamRooms rooms = new TaskStreamRooms(5, 1000, Duration.ofMinutes(1));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Boolean>> tries = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        String caller = "c" + i;
        tries.add(
            pool.submit(
                () -> {
                  go.await();
                  try {
                    rooms.reserve(caller).started();
                    return true;
                  } catch (ApiError full) {
                    return false;
                  }
                }));
      }
      go.countDown();
      int granted = 0;
      for (Future<Boolean> t : tries) {
        granted += t.get(10, TimeUnit.SECONDS) ? 1 : 0;
      }
      assertEquals(5, granted, "exactly the cap, however the requests raced");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void oneCallerGetsItsShareAndAPlaceIsGivenBackOnce() {
    TaskStreamRooms rooms = new TaskStreamRooms(10, 2, Duration.ofMinutes(1));
    TaskStreamRooms.Room a = rooms.reserve("alice");
    rooms.reserve("alice");
    ApiError full = assertThrows(ApiError.class, () -> rooms.reserve("alice"));
    assertTrue(full.getMessage().contains("per caller"), full.getMessage());
    rooms.reserve("bob"); // another caller is not held up by alice
    a.release();
    a.release(); // twice: given back once only
    rooms.reserve("alice");
    assertThrows(ApiError.class, () -> rooms.reserve("alice"));
  }

  @Test
  void aPlaceWhoseStreamNeverStartedIsGivenBack() {
    TaskStreamRooms rooms = new TaskStreamRooms(1, 1, Duration.ofMillis(200));
    rooms.reserve("alice"); // its response never runs
    until(
        () -> {
          try {
            rooms.reserve("alice").started();
            return true;
          } catch (ApiError full) {
            return false;
          }
        },
        ok -> ok,
        "the unstarted place given back");
  }
}
