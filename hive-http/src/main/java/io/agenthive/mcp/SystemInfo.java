package io.agenthive.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;

/**
 * {@code system_info}: the hub's machine as {@code GET /api/resources} measures it, with the seed
 * hub's field names ({@code hostname}, {@code os}, {@code arch}, {@code cpu_count}, {@code
 * platform}) in front of the API's own fields.
 */
final class SystemInfo {
  private SystemInfo() {}

  static ObjectNode of(HubApi.Caller hub) {
    JsonNode resources = hub.get("/api/resources");
    JsonNode system = resources.path("system_resources");
    JsonNode status = hub.get("/api/hive/status");
    ObjectNode out = HubApi.JSON.createObjectNode();
    out.set("hostname", system.path("hostname"));
    out.set("os", system.path("os"));
    out.set("arch", system.path("arch"));
    out.put("platform", platform(system.path("os").asText(), system.path("arch").asText()));
    out.set("cpu_count", system.path("cpu_cores"));
    out.set("hive_id", status.path("hive_id"));
    out.set("version", status.path("version"));
    out.set("uptime_ms", status.path("uptime_ms"));
    out.setAll((ObjectNode) resources);
    return out;
  }

  /**
   * The seed's platform string, {@code linux-x86_64}: the OS family and the architecture as the
   * toolchains spell it, from the hub's own machine ({@code os} is "Linux 6.8.0", {@code arch} the
   * JVM's "amd64").
   */
  static String platform(String os, String arch) {
    String lower = os.toLowerCase(Locale.ROOT).trim();
    String family =
        lower.startsWith("mac")
            ? "macos"
            : lower.startsWith("windows") ? "windows" : lower.split("\\s+")[0];
    String machine =
        switch (arch.toLowerCase(Locale.ROOT)) {
          case "amd64", "x86_64", "x64" -> "x86_64";
          case "arm64", "aarch64" -> "aarch64";
          default -> arch.toLowerCase(Locale.ROOT);
        };
    return (family.isEmpty() ? "unknown" : family)
        + "-"
        + (machine.isEmpty() ? "unknown" : machine);
  }
}
