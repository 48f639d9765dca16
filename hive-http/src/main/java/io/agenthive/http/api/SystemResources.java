package io.agenthive.http.api;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code GET /api/resources}: this node's machine as it is now, in the seed hub's shape ({@code
 * system_resources}, {@code resource_profile}, {@code hardware_class}) but measured: cores, memory
 * and CPU load from the operating system, heap from the JVM, SIMD flags from {@code /proc/cpuinfo}
 * where there is one (an empty list elsewhere, never a guess).
 */
final class SystemResources {
  private static final long GIB = 1L << 30;
  private static final List<String> SIMD =
      List.of("sse4_1", "sse4_2", "avx", "avx2", "avx512f", "neon", "asimd");

  private SystemResources() {}

  static Map<String, Object> now(int queueBound) {
    var os = ManagementFactory.getOperatingSystemMXBean();
    var heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    int cores = Runtime.getRuntime().availableProcessors();
    long total = -1;
    long free = -1;
    double cpu = -1;
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      total = sun.getTotalMemorySize();
      free = sun.getFreeMemorySize();
      cpu = sun.getCpuLoad();
    }
    Map<String, Object> system = new LinkedHashMap<>();
    system.put("cpu_cores", cores);
    system.put("cpu_usage", cpu < 0 ? null : round(cpu * 100));
    system.put("load_average", os.getSystemLoadAverage() < 0 ? null : os.getSystemLoadAverage());
    system.put("total_memory", total < 0 ? null : total);
    system.put("available_memory", free < 0 ? null : free);
    system.put("memory_usage", total <= 0 ? null : round(100.0 * (total - free) / total));
    system.put("jvm_heap_used", heap.getUsed());
    system.put("jvm_heap_max", heap.getMax());
    system.put("simd_capabilities", simd());
    system.put("hostname", hostname());
    system.put("os", os.getName() + " " + os.getVersion());
    system.put("arch", os.getArch());
    system.put("last_updated", Instant.now().toString());
    String hardware = hardwareClass(cores, total);
    Map<String, Object> profile = new LinkedHashMap<>();
    profile.put("profile_name", hardware.toLowerCase(Locale.ROOT));
    profile.put("max_queued_tasks", queueBound);
    profile.put("heap_max", heap.getMax());
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("system_resources", system);
    body.put("resource_profile", profile);
    body.put("hardware_class", hardware);
    return body;
  }

  /** The seed's four classes, by what this machine has. */
  static String hardwareClass(int cores, long memoryBytes) {
    if (cores <= 2 && memoryBytes > 0 && memoryBytes < 4 * GIB) {
      return "EdgeDevice";
    }
    if (cores <= 8) {
      return "Desktop";
    }
    return cores <= 64 ? "Server" : "Cloud";
  }

  private static List<String> simd() {
    Path cpuinfo = Path.of("/proc/cpuinfo");
    if (!Files.isReadable(cpuinfo)) {
      return List.of();
    }
    try (var lines = Files.lines(cpuinfo)) {
      return lines
          .filter(l -> l.startsWith("flags") || l.startsWith("Features"))
          .findFirst()
          .map(l -> Arrays.asList(l.substring(l.indexOf(':') + 1).trim().split("\\s+")))
          .map(flags -> SIMD.stream().filter(flags::contains).toList())
          .orElse(List.of());
    } catch (java.io.IOException | java.io.UncheckedIOException e) {
      return List.of(); // unreadable here: say nothing rather than guess
    }
  }

  private static String hostname() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      return System.getenv().getOrDefault("HOSTNAME", "unknown");
    }
  }

  private static double round(double v) {
    return Math.round(v * 10) / 10.0;
  }
}
