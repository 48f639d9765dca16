package io.agenthive.a2a;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.DispatcherSelector;
import akka.stream.Materializer;
import akka.stream.javadsl.Sink;
import com.fasterxml.jackson.databind.JsonNode;
import io.agenthive.access.Principal;
import io.agenthive.common.LazyHttpClient;
import io.agenthive.mcp.HubApi;
import io.agenthive.skill.guard.EgressPolicy;
import io.agenthive.task.ApprovalWebhook;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Push notifications: configs are kept in memory on the node that took them ({@link PushStore}; a
 * restart forgets them: docs/a2a.md says so). A task's first config starts one watch of it ({@link
 * TaskFollower}), reading the task with the credential of whoever set that config, for at most
 * {@code hive.a2a.max-push-watch}. Each change of its A2A state after that is POSTed to every
 * config as a StreamResponse (0.3: the bare Task), signed with the approval webhook's secret over
 * {@code "a2a-push\n" + body} ({@code X-Hive-Signature}; the prefix keeps a push from passing as an
 * approval webhook call) and carrying the config's token ({@code X-A2A-Notification-Token}). Best
 * effort: a failed POST is logged, not retried. When the watch ends (the final state, or its time)
 * the configs it served are dropped; if it failed as its reader (key revoked, token expired), that
 * reader's configs are dropped and the others get a new watch reading as one of their owners.
 */
final class PushNotifications {
  private static final Logger log = LoggerFactory.getLogger(PushNotifications.class);
  private static final byte[] PURPOSE = "a2a-push\n".getBytes(StandardCharsets.UTF_8);
  private final PushStore store;
  private final A2aSettings settings;
  private final TaskFollower follower;
  private final Materializer materializer;
  private final EgressPolicy egress;
  private final ApprovalWebhook signer;
  private final Executor blocking;
  private final LazyHttpClient client;

  PushNotifications(ActorSystem<?> system, A2aSettings settings, TaskFollower follower) {
    this.store = new PushStore(settings);
    this.settings = settings;
    this.follower = follower;
    this.materializer = Materializer.matFromSystem(system);
    this.egress = EgressPolicy.get(system);
    this.signer = ApprovalWebhook.get(system);
    this.blocking = system.dispatchers().lookup(DispatcherSelector.blocking());
    this.client = new LazyHttpClient(settings.pushTimeout());
  }

  EgressPolicy egress() {
    return egress;
  }

  /** A task's place held for the task SendMessage is about to make with a config. */
  PushStore.Slot reserveNewTask(String owner) {
    return store.reserveNewTask(owner);
  }

  /** Keeps {@code config} (replacing its owner's config of that id); watches a new task. */
  PushConfig add(PushConfig config, HubApi.Caller caller, PushStore.Slot slot) {
    PushStore.Start start = store.add(config, caller, slot);
    if (start != null) {
      watch(start);
    }
    return config;
  }

  Optional<PushConfig> get(String taskId, String id, Principal caller) {
    return store.visible(taskId, caller).stream().filter(c -> c.id().equals(id)).findFirst();
  }

  boolean delete(String taskId, String id, Principal caller) {
    return store.delete(taskId, id, caller);
  }

  private void watch(PushStore.Start start) {
    String taskId = start.taskId();
    boolean[] first = {true};
    // the configs present at the last change read: those were told of it
    AtomicReference<Map<String, PushStore.Kept>> seen = new AtomicReference<>(Map.of());
    follower
        .changes(start.as().as(), taskId, settings.maxPushWatch())
        .runWith(
            Sink.foreach(
                task -> {
                  Map<String, PushStore.Kept> now = store.configs(taskId);
                  seen.set(now);
                  // the state when the config was set is known to whoever set it; changes are news
                  if (!first[0] || A2aShapes.isFinal(A2aShapes.state(task))) {
                    notifyAll(taskId, now.values(), task);
                  }
                  first[0] = false;
                }),
            materializer)
        .whenComplete(
            (done, error) -> {
              String reader = start.as().config().owner();
              if (error != null) {
                log.info(
                    "Push notifications for task [{}] read as [{}] ended: {}",
                    taskId,
                    reader,
                    error.getMessage());
              }
              Map<String, PushStore.Kept> told = seen.get();
              PushStore.Start again =
                  store.finished(
                      taskId,
                      start.watch(),
                      error == null
                          ? k -> told.containsKey(k.config().id()) && told.get(k.config().id()) == k
                          : k -> k.config().owner().equals(reader));
              if (again != null) {
                watch(again);
              }
            });
  }

  private void notifyAll(String taskId, Collection<PushStore.Kept> configs, JsonNode task) {
    for (PushStore.Kept kept : configs) {
      PushConfig config = kept.config();
      try {
        send(config, task);
      } catch (RuntimeException e) {
        // one config that cannot be sent must not end the watch, which serves every config
        log.warn(
            "A2A push notification for task [{}] to config [{}] not sent: {}",
            taskId,
            config.id(),
            e.toString());
      }
    }
  }

  private void send(PushConfig config, JsonNode task) {
    JsonNode payload =
        A2aShapes.wrapped("task", A2aShapes.task(task, config.version()), config.version());
    byte[] body = payload.toString().getBytes(StandardCharsets.UTF_8);
    URI url = URI.create(config.url());
    HttpRequest.Builder request =
        HttpRequest.newBuilder(url)
            .timeout(settings.pushTimeout())
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    byte[] signed = new byte[PURPOSE.length + body.length];
    System.arraycopy(PURPOSE, 0, signed, 0, PURPOSE.length);
    System.arraycopy(body, 0, signed, PURPOSE.length, body.length);
    String signature = signer.signature(signed);
    if (signature != null) {
      request.header("X-Hive-Signature", signature);
    }
    if (config.token() != null) {
      request.header("X-A2A-Notification-Token", config.token());
    }
    if (config.authScheme() != null && config.authCredentials() != null) {
      request.header("Authorization", config.authScheme() + " " + config.authCredentials());
    }
    // the egress check resolves the host (blocking), before every POST: an address that changed
    // since the config was set is checked again
    CompletableFuture.runAsync(() -> egress.check(url), blocking)
        .thenCompose(
            ok -> client.get().sendAsync(request.build(), HttpResponse.BodyHandlers.discarding()))
        .whenComplete(
            (r, error) -> {
              if (error != null || r.statusCode() >= 300) {
                log.warn(
                    "A2A push notification for task [{}] to config [{}] not delivered: {}",
                    config.taskId(),
                    config.id(),
                    error != null ? error.toString() : "status " + r.statusCode());
              }
            });
  }

  /** The configs of the task {@code caller} may see, for ListTaskPushNotificationConfigs. */
  List<JsonNode> shown(String taskId, A2aVersion v, Principal caller) {
    List<JsonNode> out = new ArrayList<>();
    store.visible(taskId, caller).forEach(c -> out.add(c.json(v)));
    return out;
  }
}
