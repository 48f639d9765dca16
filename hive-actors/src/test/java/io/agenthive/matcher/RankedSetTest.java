package io.agenthive.matcher;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class RankedSetTest {
  @Test
  void behavesLikeASortedSetAndCountsItsPrefix() {
    Random random = new Random(7);
    Comparator<Integer> descending = Comparator.reverseOrder();
    RankedSet<Integer> set = new RankedSet<>(descending);
    TreeSet<Integer> model = new TreeSet<>(descending);
    for (int step = 0; step < 20_000; step++) {
      int value = random.nextInt(2_000);
      if (random.nextInt(3) == 0) {
        assertEquals(model.remove(value), set.remove(value), "remove " + value);
      } else {
        assertEquals(model.add(value), set.add(value), "add " + value);
      }
      assertEquals(model.size(), set.size());
      if (step % 97 == 0) {
        int threshold = random.nextInt(2_000);
        int expected = (int) model.stream().filter(v -> v >= threshold).count();
        assertEquals(expected, set.countPrefix(v -> v >= threshold), "count ≥ " + threshold);
        int k = random.nextInt(12);
        assertEquals(new ArrayList<>(model).subList(0, Math.min(k, model.size())), set.firstK(k));
        assertEquals(model.isEmpty() ? null : model.first(), set.first());
      }
    }
  }

  @Test
  void anEmptySetHasNoFirstAndCountsNothing() {
    RankedSet<Integer> set = new RankedSet<>(Comparator.naturalOrder());
    assertNull(set.first());
    assertEquals(0, set.countPrefix(v -> true));
    assertEquals(List.of(), set.firstK(3));
    assertFalse(set.remove(1));
  }
}
