package io.agenthive.a2a;

import io.agenthive.agent.AgentView;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The agents the public card lists capabilities of. The card is open to anyone, so it must not
 * query the read side for every request: one read serves all for {@code hive.a2a.card-cache}. With
 * {@code hive.a2a.card-lists-capabilities = off} it reads nothing and the card lists no capability
 * names (an operator who keeps the hive's inventory private).
 */
final class CardAgents {
  private record Read(long atNanos, CompletionStage<List<AgentView>> agents) {}

  private final Supplier<CompletionStage<List<AgentView>>> source;
  private final boolean listed;
  private final long keepNanos;
  private final AtomicReference<Read> last = new AtomicReference<>();

  CardAgents(Supplier<CompletionStage<List<AgentView>>> source, boolean listed, Duration keep) {
    this.source = source;
    this.listed = listed;
    this.keepNanos = keep.toNanos();
  }

  CompletionStage<List<AgentView>> get() {
    if (!listed) {
      return CompletableFuture.completedFuture(List.of());
    }
    long now = System.nanoTime();
    Read read = last.get();
    if (read != null && now - read.atNanos() < keepNanos) {
      return read.agents();
    }
    // the card still answers while the read side is down (without capabilities, until the next
    // read)
    Read fresh = new Read(now, source.get().exceptionally(e -> List.of()));
    // of two callers finding it stale at once, one read wins and serves both
    return last.compareAndSet(read, fresh) ? fresh.agents() : last.get().agents();
  }
}
