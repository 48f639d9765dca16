package io.agenthive.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Hub nodes of one cluster as child processes on loopback, on one PostgreSQL schema, set up as
 * {@code ./hive cluster} does (Cluster Bootstrap, config discovery). A node keeps its ports when
 * restarted, so it rejoins as the same address.
 */
final class BenchCluster implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern READY = Pattern.compile("ready on http://");
  private final Bench.Options options;
  private final Map<String, String> dbEnv;
  private final Path dir;
  private final int[] http;
  private final int[] management;
  private final int[] remote;
  private final Processes.Child[] nodes;
  private final HttpClient client = HttpClient.newHttpClient();

  BenchCluster(Bench.Options options, BenchDb db, int size) throws Exception {
    this.options = options;
    this.dbEnv = db.env();
    this.dir = Path.of(dbEnv.get("HIVE_DATA_DIR"));
    this.http = ports(size);
    this.management = ports(size);
    this.remote = ports(size);
    this.nodes = new Processes.Child[size];
  }

  int size() {
    return nodes.length;
  }

  void startAll() throws Exception {
    for (int i = 0; i < size(); i++) {
      start(i);
    }
    for (int i = 0; i < size(); i++) {
      awaitReady(i);
    }
  }

  void start(int i) throws Exception {
    String points =
        java.util.Arrays.stream(management)
            .mapToObj(p -> "127.0.0.1:" + p)
            .collect(Collectors.joining(","));
    Map<String, String> env = new HashMap<>(dbEnv);
    env.put("HIVE_DISCOVERY", "config");
    env.put("HIVE_CONTACT_POINTS", points);
    env.put("HIVE_REQUIRED_CONTACT_POINTS", String.valueOf(Math.min(2, size())));
    env.put("HIVE_HTTP_PORT", String.valueOf(http[i]));
    env.put("HIVE_MANAGEMENT_PORT", String.valueOf(management[i]));
    env.put("HIVE_REMOTE_PORT", String.valueOf(remote[i]));
    env.put("HIVE_DATA_DIR", dir.resolve("node-" + i).toString());
    env.put("HIVE_SIGNING_KEY_FILE", dir.resolve("signing-key.jwk").toString());
    env.put("HIVE_MASTER_KEY_FILE", dir.resolve("master.key").toString());
    env.put("HIVE_ADMIN_KEY_FILE", dir.resolve("admin.key").toString());
    List<String> jvm =
        new ArrayList<>(
            List.of("-Xmx512m", "-Dconfig.file=" + options.root().resolve("application.conf")));
    nodes[i] =
        Processes.java(
            "io.agenthive.launcher.Main",
            jvm,
            List.of("serve"),
            env,
            Files.createTempFile("hive-bench-node-" + i + "-", ".log"),
            true);
  }

  void awaitReady(int i) throws Exception {
    nodes[i].await(READY, Duration.ofMinutes(5));
  }

  Processes.Child nodes(int i) {
    return nodes[i];
  }

  void kill(int i) throws Exception {
    nodes[i].process().destroyForcibly().waitFor();
  }

  String bearer() throws Exception {
    return "Bearer " + Files.readString(dir.resolve("admin.key")).trim();
  }

  String base(int i) {
    return "http://127.0.0.1:" + http[i];
  }

  /** The node the singletons (the matcher) run on: the oldest member, as node {@code ask} sees. */
  int oldest(int ask) throws Exception {
    String oldest =
        JSON.readTree(
                client
                    .send(
                        HttpRequest.newBuilder(
                                URI.create(
                                    "http://127.0.0.1:" + management[ask] + "/cluster/members"))
                            .GET()
                            .build(),
                        HttpResponse.BodyHandlers.ofString())
                    .body())
            .path("oldest")
            .asText();
    for (int i = 0; i < size(); i++) {
      if (oldest.endsWith(":" + remote[i])) {
        return i;
      }
    }
    throw new IllegalStateException("no node is the oldest member " + oldest);
  }

  /** POST with the admin key; the status and body (null body for an unanswered request). */
  Reply post(int i, String path, String body, String idempotencyKey) {
    try {
      HttpRequest.Builder b =
          HttpRequest.newBuilder(URI.create(base(i) + path))
              .timeout(Duration.ofSeconds(10))
              .header("Content-Type", "application/json")
              .header("Authorization", bearer())
              .POST(HttpRequest.BodyPublishers.ofString(body));
      if (idempotencyKey != null) {
        b.header("Idempotency-Key", idempotencyKey);
      }
      HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Reply(r.statusCode(), JSON.readTree(r.body()));
    } catch (Exception e) {
      return new Reply(0, null);
    }
  }

  JsonNode get(int i, String path) throws Exception {
    return JSON.readTree(
        client
            .send(
                HttpRequest.newBuilder(URI.create(base(i) + path))
                    .timeout(Duration.ofSeconds(10))
                    .header("Authorization", bearer())
                    .GET()
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body());
  }

  record Reply(int status, JsonNode json) {}

  @Override
  public void close() throws Exception {
    for (Processes.Child c : nodes) {
      if (c != null) {
        c.close();
      }
    }
  }

  private static int[] ports(int n) throws Exception {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = Processes.freePort();
    }
    return p;
  }
}
