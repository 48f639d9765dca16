package io.agenthive.http;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.agenthive.launcher.ChildJvm;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./hive mcp} as an assistant runs it: a child process spawned by the SDK's stdio client,
 * talking to a real hub on a free port with the key from the environment.
 */
@Tag("database-neutral") // the MCP protocol between processes: the same on every database
class McpStdioTest {
  @TempDir static Path dataDir;
  static ApiTestHub hub;

  @BeforeAll
  static void start() throws Exception {
    hub = ApiTestHub.start("McpStdioTest", dataDir, "");
  }

  @AfterAll
  static void stop() {
    hub.stop();
  }

  private static List<String> command() {
    List<String> args = ChildJvm.arguments("-Xmx256m", "-Dhive.mcp.poll-interval=100ms");
    args.addAll(List.of("io.agenthive.launcher.Main", "mcp", "--url", hub.http.base()));
    return args;
  }

  @Test
  void anAssistantUsesEveryToolAndResourceOverStdio() throws Exception {
    var parameters =
        ServerParameters.builder(ChildJvm.java())
            .args(command())
            .addEnvVar("HIVE_API_KEY", hub.adminKey)
            .build();
    var transport =
        new StdioClientTransport(parameters, new JacksonMcpJsonMapper(new ObjectMapper()));
    try (McpScenario mcp = new McpScenario(transport, hub.http)) {
      mcp.initializeAndList();
      mcp.everyTool();
      mcp.failuresAreToolErrors();
      mcp.resourcesAndSubscriptions();
    }
  }

  @Test
  void aWrongKeyIsOneSentenceOnStderrAndNothingOnStdout() throws Exception {
    List<String> cmd = new ArrayList<>(List.of(ChildJvm.java()));
    cmd.addAll(command());
    var pb = new ProcessBuilder(cmd);
    pb.environment().put("HIVE_API_KEY", "hk_0123456789ab_not-a-real-secret");
    Process p = pb.start();
    p.getOutputStream().close();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(2, p.exitValue(), err);
    assertEquals("", out);
    assertTrue(err.contains("refused the key (401)"), err);
    assertFalse(err.contains("\tat "), "no stack trace: " + err);
  }
}
