package io.agenthive.a2a;

import static org.junit.jupiter.api.Assertions.*;

import io.agenthive.agent.AgentView;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The card's agents: read once per cache period, or not at all when capabilities are off. */
class CardAgentsTest {
  private final AtomicInteger reads = new AtomicInteger();
  private final Supplier<CompletionStage<List<AgentView>>> source =
      () -> {
        reads.incrementAndGet();
        return CompletableFuture.completedFuture(List.of());
      };

  @Test
  void oneReadServesEveryCardWithinTheCachePeriod() {
    CardAgents agents = new CardAgents(source, true, Duration.ofMinutes(1));
    for (int i = 0; i < 50; i++) {
      agents.get();
    }
    assertEquals(1, reads.get());
  }

  @Test
  void aZeroPeriodReadsEachTime() {
    CardAgents agents = new CardAgents(source, true, Duration.ZERO);
    agents.get();
    agents.get();
    assertEquals(2, reads.get());
  }

  @Test
  void offReadsNothingAndListsNoCapabilities() throws Exception {
    CardAgents agents = new CardAgents(source, false, Duration.ofMinutes(1));
    assertEquals(List.of(), agents.get().toCompletableFuture().get());
    assertEquals(0, reads.get());
  }

  @Test
  void aFailedReadStillAnswersACard() throws Exception {
    CardAgents agents =
        new CardAgents(
            () -> CompletableFuture.failedFuture(new IllegalStateException("read side down")),
            true,
            Duration.ofMinutes(1));
    assertEquals(List.of(), agents.get().toCompletableFuture().get());
  }
}
