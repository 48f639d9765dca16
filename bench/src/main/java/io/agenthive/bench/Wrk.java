package io.agenthive.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs wrk (Debian package {@code wrk}) and reads its requests/s and latency percentiles. */
final class Wrk {
  private static final Pattern RATE = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
  private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");

  private Wrk() {}

  record Result(double requestsPerSecond, double p50Ms, double p99Ms, long non2xx) {}

  /** Installs wrk from Debian packages when missing and allowed (root); false if unavailable. */
  static boolean ensureInstalled(List<String> notes) {
    if (Processes.onPath("wrk")) {
      return true;
    }
    try {
      if (Processes.run(List.of("id", "-u"), Duration.ofSeconds(5)).trim().equals("0")) {
        System.err.println("bench: installing wrk (apt-get install -y wrk)...");
        Processes.run(List.of("apt-get", "install", "-y", "-q", "wrk"), Duration.ofMinutes(5));
      }
    } catch (Exception e) {
      notes.add("could not install wrk: " + e.getMessage());
    }
    return Processes.onPath("wrk");
  }

  static Result run(String url, int connections, Duration duration, Path luaScript)
      throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "wrk",
                "-t2",
                "-c" + connections,
                "-d" + duration.toSeconds() + "s",
                "--latency",
                "--timeout",
                "10s"));
    if (luaScript != null) {
      cmd.add("-s");
      cmd.add(luaScript.toString());
    }
    cmd.add(url);
    String out = Processes.run(cmd, duration.plusMinutes(1));
    Matcher rate = RATE.matcher(out);
    if (!rate.find()) {
      throw new IllegalStateException("unexpected wrk output: " + out);
    }
    Matcher non2xx = NON_2XX.matcher(out);
    return new Result(
        Double.parseDouble(rate.group(1)),
        percentileMs(out, "50%"),
        percentileMs(out, "99%"),
        non2xx.find() ? Long.parseLong(non2xx.group(1)) : 0);
  }

  /** POSTs {@code body}; with {@code bearer} (null: no Authorization header). */
  static Path postScript(String body, String bearer) throws Exception {
    return script(
        "wrk.method = \"POST\"\n"
            + "wrk.headers[\"Content-Type\"] = \"application/json\"\n"
            + "wrk.body = '"
            + body
            + "'\n",
        bearer);
  }

  /** GETs with {@code bearer} (null: no script needed). */
  static Path getScript(String bearer) throws Exception {
    return bearer == null ? null : script("", bearer);
  }

  private static Path script(String lua, String bearer) throws Exception {
    Path file = Files.createTempFile("hive-bench-", ".lua");
    Files.writeString(
        file,
        lua + (bearer == null ? "" : "wrk.headers[\"Authorization\"] = \"" + bearer + "\"\n"));
    file.toFile().deleteOnExit();
    return file;
  }

  private static double percentileMs(String out, String label) {
    Matcher m =
        Pattern.compile("\\s" + Pattern.quote(label) + "\\s+([0-9.]+)(us|ms|s)").matcher(out);
    if (!m.find()) {
      throw new IllegalStateException("no " + label + " latency in wrk output: " + out);
    }
    double v = Double.parseDouble(m.group(1));
    return switch (m.group(2)) {
      case "us" -> v / 1000;
      case "s" -> v * 1000;
      default -> v;
    };
  }
}
