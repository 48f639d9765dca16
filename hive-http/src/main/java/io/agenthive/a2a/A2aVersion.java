package io.agenthive.a2a;

import java.util.Map;
import java.util.Optional;

/**
 * Which A2A version a request speaks: the {@code A2A-Version} header when there is one (1.0 or 0.3,
 * else VersionNotSupported); without it, the method's name decides, since a 0.3 client (which sends
 * no header) uses the 0.3 names ({@code message/send}) and a 1.0 one the 1.0 names.
 */
enum A2aVersion {
  V1_0("1.0"),
  V0_3("0.3");

  /** 0.3 method names and the 1.0 method each one is. */
  static final Map<String, String> LEGACY_TO_V1 =
      Map.ofEntries(
          Map.entry("message/send", "SendMessage"),
          Map.entry("message/stream", "SendStreamingMessage"),
          Map.entry("tasks/get", "GetTask"),
          Map.entry("tasks/list", "ListTasks"),
          Map.entry("tasks/cancel", "CancelTask"),
          Map.entry("tasks/resubscribe", "SubscribeToTask"),
          Map.entry("tasks/pushNotificationConfig/set", "CreateTaskPushNotificationConfig"),
          Map.entry("tasks/pushNotificationConfig/get", "GetTaskPushNotificationConfig"),
          Map.entry("tasks/pushNotificationConfig/list", "ListTaskPushNotificationConfigs"),
          Map.entry("tasks/pushNotificationConfig/delete", "DeleteTaskPushNotificationConfig"),
          Map.entry("agent/getAuthenticatedExtendedCard", "GetExtendedAgentCard"));

  final String label;

  A2aVersion(String label) {
    this.label = label;
  }

  /** The version for this header (absent: by the method's name). */
  static A2aVersion of(Optional<String> header, String method) {
    if (header.isEmpty() || header.get().isBlank()) {
      return LEGACY_TO_V1.containsKey(method) ? V0_3 : V1_0;
    }
    String v = header.get().strip();
    if (v.equals("1.0") || v.startsWith("1.0.")) {
      return V1_0;
    }
    if (v.equals("0.3") || v.startsWith("0.3.")) {
      return V0_3;
    }
    throw new A2aError(
        A2aError.VERSION_NOT_SUPPORTED,
        "A2A-Version "
            + v.substring(0, Math.min(v.length(), 20))
            + " is not supported: use 1.0 or 0.3");
  }

  /** The method as its 1.0 name, whichever name the request used. */
  static String canonical(String method) {
    return LEGACY_TO_V1.getOrDefault(method, method);
  }
}
