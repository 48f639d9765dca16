package io.agenthive.matcher;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** One question per agent; an answer counts for the question it names; what waits comes next. */
class AgentQuestionsTest {
  static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");

  @Test
  void aQuestionAskedWhileOneIsOpenIsAskedNextNotDropped() {
    AgentQuestions q = new AgentQuestions();
    assertTrue(q.ask("a1", Set.of("handed-over"), NOW));
    assertFalse(q.ask("a1", Set.of("r1", "r2"), NOW), "one open at a time");
    assertFalse(q.ask("a1", Set.of("handed-over"), NOW), "already asked: nothing waits for it");
    long first = q.open("a1").number();
    assertEquals(Set.of("handed-over"), q.answered("a1", first).taskIds());
    assertEquals(Set.of("r1", "r2"), q.takeNext("a1"));
    assertNull(q.takeNext("a1"));
  }

  @Test
  void aLateRepeatOfAnEarlierAnswerDoesNotCloseTheOpenQuestionEvenAboutTheSameTasks() {
    AgentQuestions q = new AgentQuestions();
    q.ask("a1", Set.of("t1"), NOW);
    long first = q.open("a1").number();
    assertEquals(Set.of("t1"), q.answered("a1", first).taskIds());
    assertTrue(q.ask("a1", Set.of("t1"), NOW), "handed to the same agent again, asked again");
    assertNull(q.answered("a1", first), "the first question's answer, sent again");
    assertEquals(Set.of("t1"), q.open("a1").taskIds());
    assertEquals(Set.of("t1"), q.answered("a1", q.open("a1").number()).taskIds());
  }

  @Test
  void theDeadlineClosesWhateverIsOpen() {
    AgentQuestions q = new AgentQuestions();
    assertNull(q.answered("a1", 0), "nothing open");
    q.ask("a1", Set.of("t1"), NOW);
    assertEquals(NOW, q.answered("a1", 0).askedAt());
    assertNull(q.open("a1"));
  }
}
