package io.agenthive.http;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * deploy/test-tools/a2a/echo-agent.mjs, run with node: an A2A 1.0 agent built on the {@code
 * @a2a-js/sdk} server (echoes, fails on "fail", works until cancelled on "slow"). It prints its
 * port as its first line; {@link #cancelled} reads which remote tasks were cancelled.
 */
final class EchoAgentProcess implements AutoCloseable {
  static final Path SCRIPT = Path.of("../deploy/test-tools/a2a/echo-agent.mjs");
  private final Process process;
  final int port;

  EchoAgentProcess(String... flags) throws Exception {
    List<String> command = new ArrayList<>(List.of("node", SCRIPT.getFileName().toString()));
    command.addAll(List.of(flags));
    process =
        new ProcessBuilder(command)
            .directory(SCRIPT.getParent().toFile())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    // the first line is the port; a script that dies or hangs fails the test, never blocks it
    String first =
        CompletableFuture.supplyAsync(
                () -> {
                  try {
                    return out.readLine();
                  } catch (IOException e) {
                    return null;
                  }
                })
            .get(30, TimeUnit.SECONDS);
    if (first == null) {
      process.destroyForcibly();
      throw new IllegalStateException("echo-agent.mjs ended before printing its port");
    }
    port = Integer.parseInt(first.trim());
  }

  String url() {
    return "http://127.0.0.1:" + port + "/";
  }

  /** The remote tasks cancelled so far, as the agent's JSON list of {id, metadata}. */
  String cancelled() throws Exception {
    return list("test/cancelled");
  }

  /** The remote tasks begun so far, as the agent's JSON list of {id, metadata}. */
  String started() throws Exception {
    return list("test/started");
  }

  private String list(String path) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(url() + path))
                    .timeout(Duration.ofSeconds(5))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    return r.body();
  }

  /** Kills the agent (a remote agent gone) and waits for it to be gone. */
  @Override
  public void close() throws Exception {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
