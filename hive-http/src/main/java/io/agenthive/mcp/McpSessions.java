package io.agenthive.mcp;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import io.modelcontextprotocol.spec.McpStreamableServerSession;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Streamable HTTP sessions of this node, each bound to the principal that opened it. Another
 * principal is told a session does not exist (it cannot use, watch or end it, nor learn that it
 * exists). A principal holds at most {@code perPrincipal}: past that, its own session unused the
 * longest is closed, never another's; the node's total ({@code max}) stays as the last bound.
 * Sessions unused for {@code idle} expire.
 */
final class McpSessions {
  private static final Logger log = LoggerFactory.getLogger(McpSessions.class);

  private record Owned(String owner, McpStreamableServerSession session, AtomicLong lastUsed) {}

  private final Cache<String, Owned> sessions;

  /**
   * Each principal's session ids. Sets are never removed (one per principal that ever opened a
   * session on this node, a handful of ids each); the cache's eviction only takes ids out, without
   * locking, since it may run while {@link #open} holds a principal's set.
   */
  private final ConcurrentHashMap<String, Set<String>> byOwner = new ConcurrentHashMap<>();

  private final int perPrincipal;
  private final Set<String> told = ConcurrentHashMap.newKeySet();

  McpSessions(Duration idle, int max, int perPrincipal) {
    this.perPrincipal = perPrincipal;
    this.sessions =
        Caffeine.newBuilder()
            .expireAfterAccess(idle)
            .maximumSize(max)
            .<String, Owned>evictionListener(
                (id, owned, cause) -> {
                  Set<String> mine = owned == null ? null : byOwner.get(owned.owner());
                  if (mine != null) {
                    mine.remove(id);
                  }
                })
            .removalListener(
                (id, owned, cause) -> {
                  if (owned != null && cause != RemovalCause.EXPLICIT) {
                    owned.session().closeGracefully().subscribe();
                  }
                })
            .build();
  }

  /** Keeps {@code session} for {@code owner}, closing that owner's oldest past its cap. */
  void open(String owner, String id, McpStreamableServerSession session) {
    Set<String> mine = mine(owner);
    synchronized (mine) {
      mine.removeIf(known -> sessions.policy().getIfPresentQuietly(known) == null);
      while (mine.size() >= perPrincipal) {
        String oldest =
            mine.stream()
                .min(Comparator.comparingLong(this::lastUsed))
                .orElseThrow(); // not empty: its size is at least the cap, which is at least 1
        mine.remove(oldest);
        Owned gone = sessions.asMap().remove(oldest);
        if (gone != null) {
          // said once per principal: a client that leaks sessions would otherwise fill the log
          boolean first = told.add(owner);
          String says =
              "MCP session [{}] of [{}] closed: that principal opened more than {} sessions"
                  + " (hive.mcp.max-sessions-per-principal); its oldest go first";
          if (first) {
            log.info(says, oldest, owner, perPrincipal);
          } else {
            log.debug(says, oldest, owner, perPrincipal);
          }
          gone.session().closeGracefully().subscribe();
        }
      }
      mine.add(id);
      sessions.put(id, new Owned(owner, session, new AtomicLong(System.nanoTime())));
    }
  }

  /** {@code owner}'s session {@code id}; empty when it is unknown, expired or someone else's. */
  Optional<McpStreamableServerSession> find(String owner, String id) {
    Owned owned = sessions.policy().getIfPresentQuietly(id);
    if (owned == null || !owned.owner().equals(owner)) {
      return Optional.empty(); // looked at quietly: another's attempt does not keep it alive
    }
    sessions.getIfPresent(id);
    owned.lastUsed().set(System.nanoTime());
    return Optional.of(owned.session());
  }

  /** Forgets {@code owner}'s session {@code id} (the caller ends it). */
  void remove(String owner, String id) {
    if (find(owner, id).isPresent()) {
      sessions.invalidate(id);
      mine(owner).remove(id);
    }
  }

  /** Any principal's session {@code id}, for the hub's own notifications to it. */
  Optional<McpStreamableServerSession> anyById(String id) {
    return Optional.ofNullable(sessions.policy().getIfPresentQuietly(id)).map(Owned::session);
  }

  Collection<McpStreamableServerSession> all() {
    return sessions.asMap().values().stream().map(Owned::session).toList();
  }

  void clear() {
    sessions.invalidateAll();
  }

  private long lastUsed(String id) {
    Owned owned = sessions.policy().getIfPresentQuietly(id);
    return owned == null ? Long.MIN_VALUE : owned.lastUsed().get();
  }

  private Set<String> mine(String owner) {
    return byOwner.computeIfAbsent(owner, o -> ConcurrentHashMap.newKeySet());
  }
}
