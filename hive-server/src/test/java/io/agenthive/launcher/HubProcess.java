package io.agenthive.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agenthive.persistence.TestDatabase;
import io.agenthive.testing.Eventually;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * One real hub process: the launcher's {@code serve} in its own JVM (with its own heap limit), on
 * an H2 file in {@code dir}, or on a fresh PostgreSQL schema when the suite runs on PostgreSQL. It
 * can be stopped (SIGTERM) and started again on the same data, and it keeps its HTTP port.
 */
final class HubProcess implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration START_WITHIN = Duration.ofSeconds(120);
  private final Path dir;
  private final int port;
  private final String heap;
  private final Map<String, String> env = new HashMap<>();
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
  private final String pgUrl;
  private Process process;
  private int starts;
  private String adminKey;

  /** {@code extraEnv}: HIVE_* settings of this test (limits, egress, …). */
  HubProcess(Path dir, String heap, Map<String, String> extraEnv) throws Exception {
    this.dir = dir;
    this.heap = heap;
    this.port = freePort();
    this.pgUrl = TestDatabase.postgres() ? freshSchema() : null;
    env.putAll(extraEnv);
  }

  void start() throws IOException {
    List<String> cmd =
        ChildJvm.command(
            "-Xmx" + heap,
            "-Dakka.loglevel=INFO",
            // a single node needs no fixed remote port (as ./hive's application.conf says)
            "-Dakka.remote.artery.canonical.port=0");
    cmd.addAll(List.of("io.agenthive.launcher.Main", "serve"));
    starts++;
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log().toFile());
    var e = pb.environment();
    e.put("HIVE_DATA_DIR", dir.resolve("data").toString());
    e.put("HIVE_EGRESS_ALLOW", "127.0.0.1/32"); // the tests' endpoints listen here
    e.put("HIVE_HTTP_PORT", String.valueOf(port));
    if (pgUrl != null) {
      e.put("HIVE_DB", "postgres");
      e.put("HIVE_DB_URL", pgUrl);
      e.put("HIVE_DB_USER", envOr("HIVE_TEST_PG_USER", "hive"));
      e.put("HIVE_DB_PASSWORD", envOr("HIVE_TEST_PG_PASSWORD", "hive"));
    }
    e.putAll(env);
    process = pb.start();
  }

  /** Waits for the "ready on http" line of this start. */
  void awaitReady() {
    Eventually.eventually(
        () -> {
          String text = read(log());
          if (!process.isAlive()) {
            throw new AssertionError("the hub stopped while starting:\n" + tail(text));
          }
          return text.contains("ready on http") ? Boolean.TRUE : null;
        },
        "the hub ready (log " + log() + ")",
        START_WITHIN);
  }

  /** SIGTERM, and the wait for the process to end. */
  void stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      throw new AssertionError("the hub did not stop within 60 s of SIGTERM");
    }
  }

  /** Sends the hub's process a signal by name ({@code STOP}, {@code CONT}). */
  void signal(String signal) throws Exception {
    int rc =
        new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid()))
            .inheritIO()
            .start()
            .waitFor();
    if (rc != 0) {
      throw new AssertionError("kill -" + signal + " failed for the hub");
    }
  }

  boolean alive() {
    return process != null && process.isAlive();
  }

  long pid() {
    return process.pid();
  }

  Path log() {
    return dir.resolve("hub-start-" + starts + ".log");
  }

  String logText() {
    return read(log());
  }

  String base() {
    return "http://127.0.0.1:" + port;
  }

  String adminKey() {
    if (adminKey == null) {
      adminKey =
          Eventually.eventually(
              () -> {
                String k = read(dir.resolve("data").resolve("admin.key")).trim();
                return k.isEmpty() ? null : k;
              },
              "the first admin key");
    }
    return adminKey;
  }

  record Reply(int status, String body) {
    JsonNode json() {
      try {
        return body.isEmpty() ? null : JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + body, e);
      }
    }
  }

  Reply call(String method, String path, String json) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base() + path))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + adminKey())
            .header("Content-Type", "application/json")
            .method(
                method,
                json == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json));
    HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Reply(r.statusCode(), r.body());
  }

  JsonNode get(String path) throws Exception {
    Reply r = call("GET", path, null);
    if (r.status() != 200) {
      throw new AssertionError("GET " + path + " answered " + r.status() + ": " + r.body());
    }
    return r.json();
  }

  /**
   * The value of one series as exposed, labels included (e.g. {@code x{kind="Task"}}); -1 if
   * absent.
   */
  double metric(String series) throws Exception {
    for (String line : call("GET", "/metrics", null).body().split("\n")) {
      if (line.startsWith(series + " ")) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return -1;
  }

  /** The hub's own PostgreSQL schema; null on H2. */
  String pgSchema() {
    return pgUrl == null ? null : pgUrl.substring(pgUrl.indexOf("currentSchema=") + 14);
  }

  /** A connection to the hub's database (H2 only while the hub is stopped: one process). */
  Connection database() throws Exception {
    if (pgUrl != null) {
      return DriverManager.getConnection(
          pgUrl, envOr("HIVE_TEST_PG_USER", "hive"), envOr("HIVE_TEST_PG_PASSWORD", "hive"));
    }
    return DriverManager.getConnection(
        "jdbc:h2:file:" + dir.resolve("data").resolve("hive") + ";DB_CLOSE_ON_EXIT=FALSE",
        "sa",
        "");
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }

  static String tail(String s) {
    return s.length() < 4000 ? s : s.substring(s.length() - 4000);
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "";
    }
  }

  private static int freePort() throws IOException {
    return TestPorts.free(); // kept across restarts: see TestPorts
  }

  private static String freshSchema() throws Exception {
    String base = envOr("HIVE_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/hive_test");
    String schema = "p_" + UUID.randomUUID().toString().replace("-", "");
    try (Connection c =
            DriverManager.getConnection(
                base, envOr("HIVE_TEST_PG_USER", "hive"), envOr("HIVE_TEST_PG_PASSWORD", "hive"));
        Statement st = c.createStatement()) {
      st.execute("CREATE SCHEMA " + schema);
    }
    return base + "?currentSchema=" + schema;
  }

  private static String envOr(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }
}
