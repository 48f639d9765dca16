package io.agenthive.a2a;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agenthive.skill.guard.EgressPolicy;
import java.net.URI;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * One push notification config of a task: where to POST its changes, the token to send back, and
 * optionally an {@code Authorization} to send; read from either version's params and shown in the
 * version that asks. {@code owner}: the label of the principal who set it (only they or an admin
 * may see or delete it).
 */
record PushConfig(
    String taskId,
    String id,
    String url,
    String token,
    String authScheme,
    String authCredentials,
    A2aVersion version,
    String owner) {
  static final int MAX_URL = 2000;
  static final int MAX_TEXT = 500;
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,100}");
  private static final JsonNodeFactory N = JsonNodeFactory.instance;

  /** 1.0: the params are the config; 0.3: it sits in {@code pushNotificationConfig}. */
  static PushConfig read(JsonNode params, A2aVersion v, EgressPolicy egress) {
    String taskId = HubReplies.taskId(params, "taskId");
    JsonNode c = params.path("pushNotificationConfig");
    String at = "pushNotificationConfig.";
    if (!c.isObject()) {
      c = params;
      at = "";
    }
    return of(taskId, c, at, v, egress);
  }

  /** A config for {@code taskId} from its fields at {@code at} (errors name them so). */
  static PushConfig of(String taskId, JsonNode c, String at, A2aVersion v, EgressPolicy egress) {
    String url = c.path("url").asText("");
    if (url.isEmpty() || url.length() > MAX_URL) {
      throw A2aError.invalid(at + "url", "is required: an http or https URL");
    }
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw A2aError.invalid(at + "url", "is not a URL");
    }
    if (uri.getHost() == null
        || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
      throw A2aError.invalid(at + "url", "must be an absolute http or https URL");
    }
    String refused = egress.refusalOfLiteral(url);
    if (refused != null) {
      throw A2aError.invalid(at + "url", refused);
    }
    String id = c.path("id").asText("");
    if (id.isEmpty()) {
      id = UUID.randomUUID().toString();
    } else if (!ID.matcher(id).matches()) {
      throw A2aError.invalid(at + "id", "must be 1-100 letters, digits or . _ : -");
    }
    String token = text(c.path("token"), at + "token");
    JsonNode auth = c.path("authentication");
    String scheme = text(auth.path("scheme"), at + "authentication.scheme");
    if (scheme == null && auth.path("schemes").isArray()) {
      scheme = text(auth.path("schemes").path(0), at + "authentication.schemes"); // 0.3
    }
    String credentials = text(auth.path("credentials"), at + "authentication.credentials");
    return new PushConfig(taskId, id, url, token, scheme, credentials, v, null);
  }

  /** The same config for the task SendMessage just made (read before the task existed). */
  PushConfig forTask(String id) {
    return new PushConfig(id, this.id, url, token, authScheme, authCredentials, version, owner);
  }

  PushConfig ownedBy(String principal) {
    return new PushConfig(taskId, id, url, token, authScheme, authCredentials, version, principal);
  }

  private static String text(JsonNode node, String field) {
    if (node.isMissingNode() || node.isNull()) {
      return null;
    }
    if (!node.isTextual() || node.textValue().length() > MAX_TEXT) {
      throw A2aError.invalid(field, "must be text of at most " + MAX_TEXT + " characters");
    }
    if (!headerSafe(node.textValue())) {
      throw A2aError.invalid(
          field,
          "may hold only visible ASCII characters, spaces and tabs (it is sent as a header)");
    }
    return node.textValue().isEmpty() ? null : node.textValue();
  }

  /**
   * Whether {@code text} can go into an HTTP header: the JDK's client refuses CR, LF, other control
   * characters and anything past U+00FF at send time, which would fail the task's whole watch.
   */
  static boolean headerSafe(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c != '\t' && (c < 0x20 || c > 0x7E)) {
        return false;
      }
    }
    return true;
  }

  /** As the version asks: 1.0's TaskPushNotificationConfig, or 0.3's with the config nested. */
  ObjectNode json(A2aVersion v) {
    ObjectNode config = N.objectNode();
    config.put("id", id).put("url", url);
    if (token != null) {
      config.put("token", token);
    }
    if (authScheme != null) {
      ObjectNode auth = config.putObject("authentication");
      if (v == A2aVersion.V1_0) {
        auth.put("scheme", authScheme);
      } else {
        auth.putArray("schemes").add(authScheme);
      }
      // the credentials are the receiver's secret: never shown again
    }
    if (v == A2aVersion.V1_0) {
      return config.put("taskId", taskId);
    }
    ObjectNode out = N.objectNode().put("taskId", taskId);
    out.set("pushNotificationConfig", config);
    return out;
  }
}
