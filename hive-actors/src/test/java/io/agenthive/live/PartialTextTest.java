package io.agenthive.live;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** An attempt's live text stops at its cap, cut between characters, never inside one. */
class PartialTextTest {
  @Test
  void keepsWhatFitsAndSaysItWasCut() {
    PartialText text = new PartialText(10);
    assertEquals("hello ", text.append("hello "));
    assertFalse(text.truncated());
    assertEquals("worl", text.append("world and more"));
    assertTrue(text.truncated());
    assertEquals("", text.append("anything"), "nothing more once cut");
    assertEquals("hello worl", text.text());
  }

  @Test
  void neverSplitsACharacter() {
    PartialText text = new PartialText(5);
    // "é" is two bytes in UTF-8: "aé" is 3, a second "é" would make 5, a third 7
    assertEquals("aéé", text.append("aééé"));
    assertEquals("aéé", text.text());
    assertTrue(text.truncated());
  }
}
