package io.agenthive.a2a;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.DispatcherSelector;
import akka.stream.Materializer;
import akka.stream.javadsl.Sink;
import com.fasterxml.jackson.databind.JsonNode;
import io.agenthive.mcp.HubApi;
import io.agenthive.skill.guard.EgressPolicy;
import io.agenthive.task.ApprovalWebhook;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Push notification configs, kept in memory on the node that took them (a restart forgets them:
 * docs/a2a.md says so), bounded per task and in tasks. The first config of a task starts one watch
 * of it ({@link TaskFollower}, as the caller who set it, so a revoked key stops it); each change of
 * its A2A state after that is POSTed to every config as a StreamResponse (0.3: the bare Task),
 * signed like the approval webhook ({@code X-Hive-Signature}) and carrying the config's token
 * ({@code X-A2A-Notification-Token}). Best effort: a failed POST is logged, not retried. At the
 * final state the watch ends and the task's configs are dropped.
 */
final class PushNotifications {
  private static final Logger log = LoggerFactory.getLogger(PushNotifications.class);
  private final Map<String, Map<String, PushConfig>> byTask = new ConcurrentHashMap<>();
  private final A2aSettings settings;
  private final TaskFollower follower;
  private final Materializer materializer;
  private final EgressPolicy egress;
  private final ApprovalWebhook signer;
  private final Executor blocking;
  private final HttpClient client;

  PushNotifications(ActorSystem<?> system, A2aSettings settings, TaskFollower follower) {
    this.settings = settings;
    this.follower = follower;
    this.materializer = Materializer.matFromSystem(system);
    this.egress = EgressPolicy.get(system);
    this.signer = ApprovalWebhook.get(system);
    this.blocking = system.dispatchers().lookup(DispatcherSelector.blocking());
    this.client = HttpClient.newBuilder().connectTimeout(settings.pushTimeout()).build();
  }

  EgressPolicy egress() {
    return egress;
  }

  /** Keeps {@code config} (replacing one with its id); starts the task's watch if it is new. */
  PushConfig add(PushConfig config, HubApi.Caller caller) {
    boolean[] started = {false};
    byTask.compute(
        config.taskId(),
        (task, configs) -> {
          if (configs == null) {
            if (byTask.size() >= settings.maxPushTasks()) {
              throw new A2aError(
                  A2aError.SERVER_ERROR,
                  "this hub watches the most tasks for push notifications it may"
                      + " (hive.a2a.max-push-tasks); retry later",
                  null,
                  503);
            }
            configs = new LinkedHashMap<>();
            started[0] = true;
          }
          if (!configs.containsKey(config.id())
              && configs.size() >= settings.maxPushConfigsPerTask()) {
            throw new A2aError(
                A2aError.INVALID_PARAMS,
                "task "
                    + task
                    + " has "
                    + configs.size()
                    + " push notification configs, the most it may have"
                    + " (hive.a2a.max-push-configs-per-task); delete one first",
                "taskId",
                200);
          }
          configs.put(config.id(), config);
          return configs;
        });
    if (started[0]) {
      watch(config.taskId(), caller);
    }
    return config;
  }

  Optional<PushConfig> get(String taskId, String id) {
    return Optional.ofNullable(byTask.get(taskId)).map(c -> c.get(id));
  }

  List<PushConfig> list(String taskId) {
    Map<String, PushConfig> configs = byTask.get(taskId);
    return configs == null ? List.of() : List.copyOf(configs.values());
  }

  boolean delete(String taskId, String id) {
    boolean[] removed = {false};
    byTask.computeIfPresent(
        taskId,
        (t, configs) -> {
          removed[0] = configs.remove(id) != null;
          return configs; // an empty map keeps the watch's place until the watch ends
        });
    return removed[0];
  }

  private void watch(String taskId, HubApi.Caller caller) {
    boolean[] first = {true};
    follower
        .changes(caller, taskId, settings.maxStream())
        .runWith(
            Sink.foreach(
                task -> {
                  // the state when the config was set is known to whoever set it; changes are news
                  if (!first[0] || A2aShapes.isFinal(A2aShapes.state(task))) {
                    notifyAll(taskId, task);
                  }
                  first[0] = false;
                }),
            materializer)
        .whenComplete(
            (done, error) -> {
              byTask.remove(taskId);
              if (error != null) {
                log.info("Push notifications for task [{}] ended: {}", taskId, error.getMessage());
              }
            });
  }

  private void notifyAll(String taskId, JsonNode task) {
    for (PushConfig config : list(taskId)) {
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
    String signature = signer.signature(body);
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
            ok -> client.sendAsync(request.build(), HttpResponse.BodyHandlers.discarding()))
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

  /** Every config of the task, for ListTaskPushNotificationConfigs. */
  List<JsonNode> shown(String taskId, A2aVersion v) {
    List<JsonNode> out = new ArrayList<>();
    list(taskId).forEach(c -> out.add(c.json(v)));
    return out;
  }
}
