package io.agenthive.skill.tools;

import static org.junit.jupiter.api.Assertions.*;

import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A run that starts before the API is served waits for the hive's tools, within a bound. */
class AgentToolsTest {
  static final HiveToolbox SERVED =
      new HiveToolbox() {
        @Override
        public List<McpSchema.Tool> tools() {
          return List.of();
        }

        @Override
        public ToolAnswer call(String name, Map<String, Object> arguments, ToolCaller caller) {
          return ToolAnswer.error("not called here");
        }
      };

  @Test
  void aRunAskingBeforeTheApiIsServedGetsTheToolboxOnceItIsInstalled() throws Exception {
    AgentTools tools = new AgentTools();
    CompletableFuture<HiveToolbox> asked =
        tools.served(Duration.ofMinutes(1)).toCompletableFuture();
    assertFalse(asked.isDone(), "waits while nothing is installed");
    tools.install(SERVED);
    assertSame(SERVED, asked.get(10, TimeUnit.SECONDS));
    assertSame(SERVED, tools.served(Duration.ZERO).toCompletableFuture().getNow(null));
  }

  @Test
  void aNodeThatNeverServesTheApiAnswersNoToolsAfterTheWaitAndLaterRunsStillWait()
      throws Exception {
    AgentTools tools = new AgentTools();
    assertSame(
        HiveToolbox.NONE,
        tools.served(Duration.ofMillis(50)).toCompletableFuture().get(10, TimeUnit.SECONDS));
    // the first caller's timeout did not settle the toolbox for everyone
    CompletableFuture<HiveToolbox> later =
        tools.served(Duration.ofMinutes(1)).toCompletableFuture();
    tools.install(SERVED);
    assertSame(SERVED, later.get(10, TimeUnit.SECONDS));
  }
}
