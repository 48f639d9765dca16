package io.agenthive.mcp;

import akka.actor.Cancellable;
import akka.actor.typed.ActorSystem;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends {@code notifications/resources/updated} for subscribed resources. The SDK records who
 * subscribed to what but not what to watch, so the transports show this class every request they
 * carry ({@link #observe}); for each subscribed URI it reads the resource through the API every
 * {@code interval} as the subscriber and, when the answer differs, tells the SDK, which notifies
 * the sessions that subscribed. Reading by id is cheap and bounded: at most {@code maxWatched}
 * resources, one read each in flight.
 */
final class SubscriptionWatcher {
  private static final Logger log = LoggerFactory.getLogger(SubscriptionWatcher.class);

  private final HubApi api;
  private final int maxWatched;
  private final Map<String, Watch> watches = new ConcurrentHashMap<>();
  private final Cancellable ticks;
  private volatile Consumer<String> updated = uri -> {};

  private static final class Watch {
    final String path;
    final String credential;
    final AtomicInteger subscribers = new AtomicInteger();
    final AtomicBoolean reading = new AtomicBoolean();
    volatile String last;

    Watch(String path, String credential) {
      this.path = path;
      this.credential = credential;
    }
  }

  SubscriptionWatcher(HubApi api, ActorSystem<?> system, Duration interval, int maxWatched) {
    this.api = api;
    this.maxWatched = maxWatched;
    this.ticks =
        system
            .scheduler()
            .scheduleWithFixedDelay(interval, interval, this::readAll, system.executionContext());
  }

  /** Where updates go: the server's {@code notifyResourcesUpdated}. */
  void onUpdate(Consumer<String> updated) {
    this.updated = updated;
  }

  void observe(McpSchema.JSONRPCRequest request, String credential) {
    boolean subscribe = request.method().equals(McpSchema.METHOD_RESOURCES_SUBSCRIBE);
    if (!subscribe && !request.method().equals(McpSchema.METHOD_RESOURCES_UNSUBSCRIBE)) {
      return;
    }
    if (!(request.params() instanceof Map<?, ?> params)
        || !(params.get("uri") instanceof String uri)) {
      return; // the SDK answers the malformed request
    }
    String path = HiveResources.apiPath(uri);
    if (path == null) {
      return;
    }
    if (subscribe) {
      subscribe(uri, path, credential);
    } else {
      watches.computeIfPresent(uri, (u, w) -> w.subscribers.decrementAndGet() <= 0 ? null : w);
    }
  }

  private void subscribe(String uri, String path, String credential) {
    if (!watches.containsKey(uri) && watches.size() >= maxWatched) {
      log.warn("Not watching {}: {} resources are watched already", uri, maxWatched);
      return;
    }
    Watch watch = watches.computeIfAbsent(uri, u -> new Watch(path, credential));
    if (watch.subscribers.getAndIncrement() == 0) {
      read(uri, watch); // the state now, so the first change after it is reported
    }
  }

  private void readAll() {
    watches.forEach(this::read);
  }

  private void read(String uri, Watch watch) {
    if (!watch.reading.compareAndSet(false, true)) {
      return;
    }
    api.sendAsync("GET", watch.path, null, watch.credential)
        .whenComplete(
            (reply, error) -> {
              watch.reading.set(false);
              if (error != null || reply.status() != 200) {
                return; // unreachable or gone for now: try again next time
              }
              String now = version(reply.json());
              String before = watch.last;
              watch.last = now;
              if (before != null && !before.equals(now)) {
                updated.accept(uri);
              }
            });
  }

  /** What counts as a change: everything but the status's running clock. */
  private static String version(JsonNode json) {
    if (json instanceof ObjectNode o && o.has("uptime_ms")) {
      ObjectNode copy = o.deepCopy();
      copy.remove("uptime_ms");
      copy.remove("tasks_per_second_last_minute");
      return copy.toString();
    }
    return json.toString();
  }

  void stop() {
    ticks.cancel();
  }
}
