package io.agenthive.task;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agenthive.skill.guard.EgressPolicy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells {@code hive.notify.url} that an approval opened: one signed POST from the node that
 * journaled it, after the write. Best effort by design: the Inbox and {@code GET /api/approvals}
 * are the record; this is the nudge.
 */
public final class ApprovalWebhook implements Extension {
  private static final Logger log = LoggerFactory.getLogger(ApprovalWebhook.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private final URI url;
  private final byte[] secret;
  private final Duration timeout;
  private final HttpClient client;
  private final EgressPolicy egress;
  private final java.util.concurrent.Executor blocking;

  private ApprovalWebhook(ActorSystem<?> system) {
    var c = system.settings().config().getConfig("hive.notify");
    String text = c.getString("url").strip();
    this.url = text.isEmpty() ? null : parsed(text);
    this.egress = EgressPolicy.get(system);
    this.blocking = system.dispatchers().lookup(akka.actor.typed.DispatcherSelector.blocking());
    String s = System.getenv(c.getString("secret-env"));
    this.secret = s == null || s.isEmpty() ? null : s.getBytes(StandardCharsets.UTF_8);
    this.timeout = c.getDuration("timeout");
    this.client = url == null ? null : HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  /** The URL, or null (and an error logged once) when it is malformed. */
  private static URI parsed(String text) {
    try {
      return URI.create(text);
    } catch (IllegalArgumentException e) {
      log.error("hive.notify.url is not used: {}", e.getMessage());
      return null;
    }
  }

  /** An approval opened: POST {@code {event, task_id, title, prompt, approvers, deadline}}. */
  void opened(Task task) {
    if (url == null) {
      return;
    }
    ObjectNode body = JSON.createObjectNode().put("event", "approval_opened");
    body.put("task_id", task.id()).put("title", task.spec().title());
    var approval = task.spec().gate().approval();
    body.put("prompt", DependencyText.fill(approval.prompt(), task.dependencies()));
    approval.approvers().forEach(body.putArray("approvers")::add);
    body.put("deadline", task.wakeAt() == null ? null : task.wakeAt().toString());
    byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(url)
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
    if (secret != null) {
      request.header("X-Hive-Signature", "sha256=" + sign(bytes));
    }
    // the egress check resolves the host (blocking): off the entity's thread, before every call,
    // so an address that changed since the last call is checked again
    java.util.concurrent.CompletableFuture.runAsync(() -> egress.check(url), blocking)
        .thenCompose(
            allowed -> client.sendAsync(request.build(), HttpResponse.BodyHandlers.discarding()))
        .whenComplete(
            (r, error) -> {
              if (error != null || r.statusCode() >= 300) {
                log.warn(
                    "Approval webhook for task [{}] not delivered: {}",
                    task.id(),
                    error != null ? error.toString() : "status " + r.statusCode());
              }
            });
  }

  /**
   * {@code sha256=<hex>} of {@code body} with {@code hive.notify.secret-env}'s secret, or null when
   * there is none: the hub's other outgoing notifications (A2A push) sign the same way, so a
   * receiver checks them all with one secret.
   */
  public String signature(byte[] body) {
    return secret == null ? null : "sha256=" + sign(body);
  }

  private String sign(byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(body));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  public static ApprovalWebhook get(ActorSystem<?> system) {
    return Id.INSTANCE.apply(system);
  }

  static final class Id extends ExtensionId<ApprovalWebhook> {
    static final Id INSTANCE = new Id();

    @Override
    public ApprovalWebhook createExtension(ActorSystem<?> system) {
      return new ApprovalWebhook(system);
    }
  }
}
