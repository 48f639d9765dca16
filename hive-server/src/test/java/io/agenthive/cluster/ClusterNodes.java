package io.agenthive.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import io.agenthive.launcher.ChildJvm;
import io.agenthive.testing.Eventually;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A hive of real node processes on loopback: each one the launcher's {@code serve} in its own JVM,
 * all on one fresh PostgreSQL schema, finding each other through Cluster Bootstrap with config
 * discovery (the set-up {@code ./hive cluster} uses). As on separate machines, nothing is shared
 * but PostgreSQL: each node runs in its own working directory with its own data directory (its own
 * copy of the token signing key, as a secret given to every machine; the first admin key in the
 * data directory of whichever node made it). Nodes can be started, stopped (SIGTERM), killed
 * (SIGKILL), frozen (SIGSTOP) and woken again; each keeps its ports and directories, so a restarted
 * node is the same member address again.
 */
final class ClusterNodes implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String WORKER_TOKEN = "cluster-test-worker-token";
  private static final Duration START_WITHIN = Duration.ofSeconds(150);
  private final Path dir;
  private final String dbUrl;
  private final int[] http;
  private final int[] management;
  private final int[] remote;
  private final Process[] processes;
  private final int[] starts;
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
  private String adminKey;

  ClusterNodes(Path dir, int size) throws Exception {
    this.dir = dir;
    this.dbUrl = freshSchema();
    this.http = freePorts(size);
    this.management = freePorts(size);
    this.remote = freePorts(size);
    this.processes = new Process[size];
    this.starts = new int[size];
    String signingKey =
        new ECKeyGenerator(Curve.P_256)
            .keyID(UUID.randomUUID().toString())
            .generate()
            .toJSONString();
    byte[] masterBytes = new byte[32];
    new java.security.SecureRandom().nextBytes(masterBytes);
    String masterKey = java.util.Base64.getEncoder().encodeToString(masterBytes);
    for (int i = 0; i < size; i++) {
      Files.createDirectories(workDir(i));
      Path key = Files.createDirectories(dataDir(i)).resolve("signing-key.jwk");
      Files.writeString(key, signingKey);
      Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
      // nodes share the master key too: a subject's key one node wrapped, another opens
      Path master = dataDir(i).resolve("master.key");
      Files.writeString(master, masterKey);
      Files.setPosixFilePermissions(master, PosixFilePermissions.fromString("rw-------"));
    }
  }

  /** Node {@code i}'s working directory: relative paths of its settings resolve here. */
  Path workDir(int i) {
    return dir.resolve("node-" + i);
  }

  /** Node {@code i}'s HIVE_DATA_DIR, inside its working directory. */
  Path dataDir(int i) {
    return workDir(i).resolve("data");
  }

  /**
   * Where a test's nodes keep their logs and data: under target/, kept after the test, so a failure
   * can be read node by node.
   */
  static Path logDir(org.junit.jupiter.api.TestInfo test) throws IOException {
    Path d =
        Path.of(
                "target",
                "cluster-tests",
                test.getTestMethod().map(m -> m.getName()).orElse("test")
                    + "-"
                    + System.currentTimeMillis())
            .toAbsolutePath();
    return Files.createDirectories(d);
  }

  int size() {
    return processes.length;
  }

  String dbUrl() {
    return dbUrl;
  }

  /** Starts node {@code i} (0-based); it joins the others, or forms the cluster with them. */
  void start(int i) throws IOException {
    String points =
        java.util.Arrays.stream(management)
            .mapToObj(p -> "127.0.0.1:" + p)
            .collect(Collectors.joining(","));
    List<String> cmd =
        ChildJvm.command(
            "-Xmx384m",
            "-XX:+UseSerialGC",
            // three nodes, PostgreSQL and the test share two cores: C2's compilations compete
            // with the nodes' own work at every (re)start, and the tests need no peak speed
            "-XX:TieredStopAtLevel=1",
            "-Dconfig.file=" + root().resolve("application.conf"));
    cmd.addAll(List.of("io.agenthive.launcher.Main", "serve"));
    starts[i]++;
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .directory(workDir(i).toFile())
            .redirectErrorStream(true)
            .redirectOutput(log(i).toFile());
    var env = pb.environment();
    env.put("HIVE_DB", "postgres");
    env.put("HIVE_DB_URL", dbUrl);
    env.put("HIVE_DB_USER", env("HIVE_TEST_PG_USER", "hive"));
    env.put("HIVE_DB_PASSWORD", env("HIVE_TEST_PG_PASSWORD", "hive"));
    env.put("HIVE_DISCOVERY", "config");
    env.put("HIVE_CONTACT_POINTS", points);
    env.put("HIVE_HTTP_PORT", String.valueOf(http[i]));
    env.put("HIVE_MANAGEMENT_PORT", String.valueOf(management[i]));
    env.put("HIVE_REMOTE_PORT", String.valueOf(remote[i]));
    env.put("HIVE_DATA_DIR", dataDir(i).toString());
    env.put("HIVE_WORKER_GRACE", "5s");
    env.put("HIVE_EGRESS_ALLOW", "127.0.0.1/32");
    env.put("HIVE_WORKER_TOKEN", WORKER_TOKEN);
    processes[i] = pb.start();
  }

  /** This start's log (each start of a node has its own, so a restart's lines are its own). */
  Path log(int i) {
    return dir.resolve("node-" + i + "-start-" + starts[i] + ".log");
  }

  void startAll() throws IOException {
    for (int i = 0; i < size(); i++) {
      start(i);
    }
    for (int i = 0; i < size(); i++) {
      awaitReady(i);
    }
  }

  /** Waits for node {@code i}'s "ready" line: it is in the cluster and serves its API. */
  void awaitReady(int i) {
    Eventually.eventually(
        () -> {
          String text = read(log(i));
          if (!processes[i].isAlive()) {
            throw new AssertionError("node " + i + " stopped while starting:\n" + tail(text));
          }
          return text.contains("ready on http") ? Boolean.TRUE : null;
        },
        "node " + i + " ready (log " + log(i) + ")",
        START_WITHIN);
  }

  boolean alive(int i) {
    return processes[i] != null && processes[i].isAlive();
  }

  Process process(int i) {
    return processes[i];
  }

  void kill(int i) throws InterruptedException {
    processes[i].destroyForcibly();
    processes[i].waitFor(30, TimeUnit.SECONDS);
  }

  /**
   * SIGTERM: the node leaves the cluster and stops. Whether it stopped cleanly is in its log (the
   * exit code of a JVM ended by SIGTERM is 143 whatever its shutdown did).
   */
  boolean stop(int i) throws InterruptedException {
    processes[i].destroy();
    if (!processes[i].waitFor(60, TimeUnit.SECONDS)) {
      throw new AssertionError("node " + i + " did not stop within 60 s of SIGTERM");
    }
    return read(log(i)).contains("stopped cleanly");
  }

  /**
   * Waits for node {@code i}'s process to end by itself. If it does not, the failure says why from
   * one run: the launcher's main thread (where it waits) and the end of the node's log, with every
   * thread in a {@code jcmd} dump beside the logs, taken before the process is killed.
   */
  void awaitExit(int i, Duration within, String what) throws Exception {
    if (processes[i].waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
      return;
    }
    Path dump = dir.resolve("node-" + i + "-threads.txt");
    Process jcmd =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                String.valueOf(processes[i].pid()),
                "Thread.print")
            .redirectErrorStream(true)
            .redirectOutput(dump.toFile())
            .start();
    boolean dumped = jcmd.waitFor(30, TimeUnit.SECONDS);
    if (!dumped) {
      jcmd.destroyForcibly();
    }
    String threads = dumped ? read(dump) : "(jcmd did not answer)";
    throw new AssertionError(
        String.format(
            "%s: node %d still runs %d s later.%nIts main thread:%n%s%nThe end of its log:%n%s"
                + "%nEvery thread: %s",
            what, i, within.toSeconds(), mainThread(threads), lastLines(read(log(i)), 40), dump));
  }

  /** The launcher's own thread from a thread dump: its stack says what the process waits for. */
  private static String mainThread(String dump) {
    for (String block : dump.split("\\R\\R")) {
      if (block.startsWith("\"main\"")) {
        return lastLines(block, 40);
      }
    }
    return "(no main thread in the dump)";
  }

  private static String lastLines(String text, int n) {
    List<String> lines = text.lines().map(l -> l.length() > 240 ? l.substring(0, 240) : l).toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
  }

  void signal(int i, String signal) throws Exception {
    int rc =
        new ProcessBuilder("kill", "-" + signal, String.valueOf(processes[i].pid()))
            .inheritIO()
            .start()
            .waitFor();
    if (rc != 0) {
      throw new AssertionError("kill -" + signal + " failed for node " + i);
    }
  }

  /**
   * The first admin key, which the first node to start made once for the whole cluster and kept in
   * its own data directory.
   */
  String adminKey() {
    if (adminKey == null) {
      adminKey =
          Eventually.eventually(
              () -> {
                for (int i = 0; i < size(); i++) {
                  String k = read(dataDir(i).resolve("admin.key")).trim();
                  if (!k.isEmpty()) {
                    return k;
                  }
                }
                return null;
              },
              "the first admin key");
    }
    return adminKey;
  }

  /** The index of the node the matcher singleton runs on: the oldest member. */
  int oldest(int askNode) throws Exception {
    JsonNode members = management(askNode, "/cluster/members");
    String oldest = members.path("oldest").asText();
    for (int i = 0; i < size(); i++) {
      if (oldest.endsWith(":" + remote[i])) {
        return i;
      }
    }
    throw new AssertionError("no node is the oldest member " + oldest);
  }

  /** Members whose status is Up, as node {@code askNode} sees them. */
  int upMembers(int askNode) throws Exception {
    int up = 0;
    for (JsonNode m : management(askNode, "/cluster/members").path("members")) {
      up += "Up".equals(m.path("status").asText()) ? 1 : 0;
    }
    return up;
  }

  JsonNode management(int i, String path) throws Exception {
    HttpResponse<String> r =
        client.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + management[i] + path))
                .timeout(Duration.ofSeconds(10))
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(r.body());
  }

  /** A JSON call to node {@code i}'s API with the admin key: status and body. */
  Reply call(int i, String method, String path, String json) throws Exception {
    return call(i, method, path, json, null);
  }

  /** The same with an {@code Idempotency-Key} (null: none), so a retried submission is one. */
  Reply call(int i, String method, String path, String json, String idempotencyKey)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base(i) + path))
            .timeout(Duration.ofSeconds(15))
            .header("Authorization", "Bearer " + adminKey())
            .header("Content-Type", "application/json")
            .method(
                method,
                json == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json));
    if (idempotencyKey != null) {
      b.header("Idempotency-Key", idempotencyKey);
    }
    HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    JsonNode body = r.body().isEmpty() ? null : JSON.readTree(r.body());
    return new Reply(r.statusCode(), body);
  }

  record Reply(int status, JsonNode json) {}

  /** A GET's body as text (NDJSON streams, say). */
  String text(int i, String path) throws Exception {
    return client
        .send(
            HttpRequest.newBuilder(URI.create(base(i) + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + adminKey())
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  String base(int i) {
    return "http://127.0.0.1:" + http[i];
  }

  String workerUrl(int i) {
    return "ws://127.0.0.1:" + http[i] + "/ws/worker";
  }

  Connection database() throws Exception {
    return DriverManager.getConnection(
        dbUrl, env("HIVE_TEST_PG_USER", "hive"), env("HIVE_TEST_PG_PASSWORD", "hive"));
  }

  @Override
  public void close() throws InterruptedException {
    for (Process p : processes) {
      if (p != null && p.isAlive()) {
        p.destroyForcibly();
        p.waitFor(30, TimeUnit.SECONDS);
      }
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

  private static Path root() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.exists(p.resolve("application.conf"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException("no application.conf above " + Path.of("").toAbsolutePath());
    }
    return p;
  }

  private static int[] freePorts(int n) throws IOException {
    int[] ports = new int[n];
    for (int i = 0; i < n; i++) {
      ports[i] = io.agenthive.launcher.TestPorts.free(); // kept across restarts: see TestPorts
    }
    return ports;
  }

  private static String freshSchema() throws Exception {
    String base = env("HIVE_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/hive_test");
    String schema = "c_" + UUID.randomUUID().toString().replace("-", "");
    try (Connection c =
            DriverManager.getConnection(
                base, env("HIVE_TEST_PG_USER", "hive"), env("HIVE_TEST_PG_PASSWORD", "hive"));
        Statement st = c.createStatement()) {
      st.execute("CREATE SCHEMA " + schema);
    }
    return base + "?currentSchema=" + schema;
  }

  private static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }
}
