package io.agenthive.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agenthive.testing.Eventually;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Safe by default, still one command: the real launcher in its own JVM makes an admin key on the
 * first start (printed once, kept owner-only), not on the second; {@code ./hive keys} and {@code
 * ./hive users} use it; mistakes are one sentence; with authentication off the hub will not listen
 * beyond loopback.
 */
class FirstStartTest {
  @TempDir Path dir;
  private final HttpClient http = HttpClient.newHttpClient();

  private ProcessBuilder launcher(Map<String, String> env, String... args) {
    List<String> cmd =
        ChildJvm.command("-Xmx512m", "-Dakka.loglevel=WARNING", "-Dhive.http.auth.bcrypt-cost=4");
    cmd.add("io.agenthive.launcher.Main");
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("HIVE_DATA_DIR", dir.resolve("data").toString());
    pb.environment().putAll(env);
    return pb;
  }

  private Process serve(Path log, int port) throws Exception {
    Process p =
        launcher(Map.of("HIVE_HTTP_PORT", Integer.toString(port)), "serve")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    Eventually.eventually(
        () -> {
          try {
            String text = Files.readString(log);
            assertTrue(p.isAlive(), "the hub exited:\n" + text);
            return text.contains("ready on http://127.0.0.1:" + port) ? true : null;
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        },
        "the hub to start: " + log,
        Duration.ofSeconds(90));
    return p;
  }

  /** Runs a command to its end: exit code, stdout, stderr. */
  private record Ran(int code, String out, String err) {}

  private Ran run(int port, String stdin, String... args) throws Exception {
    Process p = launcher(Map.of("HIVE_HTTP_PORT", Integer.toString(port)), args).start();
    if (stdin != null) {
      p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    p.getOutputStream().close();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    return new Ran(
        p.exitValue(),
        new String(p.getInputStream().readAllBytes()),
        new String(p.getErrorStream().readAllBytes()));
  }

  private int status(int port, String key, String path) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
    if (key != null) {
      b.header("Authorization", "Bearer " + key);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void theFirstStartMakesAnAdminKeyThatTheCommandLineUses() throws Exception {
    Assumptions.assumeFalse(io.agenthive.persistence.TestDatabase.postgres());
    int port = freePort();
    Path first = dir.resolve("first.log");
    Process hub = serve(first, port);
    Path keyFile = dir.resolve("data").resolve("admin.key");
    try {
      String key = Files.readString(keyFile).trim();
      assertTrue(key.startsWith("hk_"));
      assertEquals(
          Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
          Files.getPosixFilePermissions(keyFile));
      String log = Files.readString(first);
      assertTrue(
          log.contains(key) && log.contains("http://127.0.0.1:" + port),
          "the key is printed once with the URL");
      assertEquals(401, status(port, null, "/api/hive/status"));
      assertEquals(200, status(port, key, "/api/hive/status"));

      Ran made = run(port, null, "keys", "create", "--name", "ci", "--role", "operator");
      assertEquals(0, made.code(), made.err());
      String ci = made.out().trim();
      assertEquals(200, status(port, ci, "/api/agents"));
      Ran listed = run(port, null, "keys", "list");
      assertTrue(listed.out().contains("ci") && listed.out().contains("operator"), listed.out());
      assertFalse(listed.out().contains(ci), "a listed key shows no secret");
      String id = ci.substring(3, 15);
      assertEquals(0, run(port, null, "keys", "revoke", id).code());
      assertEquals(401, status(port, ci, "/api/agents"));

      Ran user =
          run(
              port,
              "a long password\n",
              "users",
              "create",
              "--username",
              "gina",
              "--role",
              "viewer");
      assertEquals(0, user.code(), user.err());
      assertTrue(run(port, null, "users", "list").out().contains("gina"));

      Ran bad = run(port, null, "keys", "create", "--name", "x", "--role", "root");
      assertEquals(2, bad.code());
      assertEquals(1, bad.err().strip().lines().count(), "one sentence: " + bad.err());
      assertTrue(bad.err().contains("role"), bad.err());
      assertFalse(bad.err().contains("Exception"), bad.err());
    } finally {
      hub.destroy();
      assertTrue(hub.waitFor(60, TimeUnit.SECONDS));
    }
    String keyBefore = Files.readString(keyFile);
    Path second = dir.resolve("second.log");
    Process again = serve(second, port);
    try {
      assertFalse(Files.readString(second).contains("hk_"), "no new key on a second start");
      assertEquals(keyBefore, Files.readString(keyFile));
      assertEquals(200, status(port, keyBefore.trim(), "/api/hive/status"));
    } finally {
      again.destroy();
      assertTrue(again.waitFor(60, TimeUnit.SECONDS));
    }
  }

  @Test
  void withAuthenticationOffTheHubKeepsToLoopback() throws Exception {
    Process p =
        launcher(
                Map.of(
                    "HIVE_AUTH",
                    "off",
                    "HIVE_HTTP_HOST",
                    "0.0.0.0",
                    "HIVE_HTTP_PORT",
                    Integer.toString(freePort())),
                "serve")
            .start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    String err = new String(p.getErrorStream().readAllBytes());
    assertEquals(2, p.exitValue());
    assertTrue(err.contains("HIVE_AUTH") && err.contains("127.0.0.1"), err);
  }
}
