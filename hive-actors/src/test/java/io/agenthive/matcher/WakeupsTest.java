package io.agenthive.matcher;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class WakeupsTest {
  static final Instant T = Instant.parse("2026-12-01T10:00:00Z");

  @Test
  void dueTasksComeOutInTimeOrderAndStayForAResendUntilTheirChangeReplacesThem() {
    Wakeups w = new Wakeups();
    w.set("b", T.plusSeconds(2));
    w.set("a", T.plusSeconds(1));
    w.set("later", T.plusSeconds(60));
    assertEquals(T.plusSeconds(1), w.next());
    assertEquals(List.of("a", "b"), w.due(T.plusSeconds(5), T.plusSeconds(10), 100));
    assertEquals(3, w.size(), "kept, to be sent again if their entity did not act");
    assertEquals(T.plusSeconds(10), w.next());
    w.set("a", null); // its change said it has no wake-up any more
    w.set("b", T.plusSeconds(30));
    assertEquals(List.of(), w.due(T.plusSeconds(11), T.plusSeconds(20), 100));
    assertEquals(T.plusSeconds(30), w.next());
    assertEquals(2, w.size());
  }

  @Test
  void aTurnTakesAtMostItsBatchAndAdoptKeepsATimeAlreadyKnown() {
    Wakeups w = new Wakeups();
    for (int i = 0; i < 10; i++) {
      w.set("t" + i, T);
    }
    assertEquals(4, w.due(T, T.plusSeconds(5), 4).size());
    assertEquals(T, w.next(), "the rest are still due");
    w.adopt("t9", T.plusSeconds(99));
    w.adopt("new", T.plusSeconds(7));
    assertEquals(6, w.due(T, T.plusSeconds(5), 100).size());
    assertEquals(T.plusSeconds(5), w.next());
    assertEquals(11, w.size());
  }
}
