package io.agenthive.logging;

import static org.junit.jupiter.api.Assertions.*;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hub's default text log ({@link TextLogging}): logback picks it up by itself, and a caller's
 * value with a newline in it (an MCP client that named itself "x\nWARN forged") stays on its own
 * line, escaped, instead of forging a second log line.
 */
class SafeTextLogTest {
  @Test
  void aValueWithANewlineCannotForgeALogLine() throws Exception {
    PrintStream realErr = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(org.slf4j.MDC.getMDCAdapter()); // the one the hub's own context uses
    try {
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      TextLogging.apply(context);
      context
          .getLogger("io.agenthive.mcp.McpRoutes")
          .info("MCP client [{}] connected", "evil\n12:00:00.000 WARN  i.a.Hive - forged\u0007");
    } finally {
      System.setErr(realErr);
      context.stop();
    }
    String[] lines = captured.toString(StandardCharsets.UTF_8).strip().split("\n");
    assertEquals(1, lines.length, captured.toString(StandardCharsets.UTF_8));
    assertFalse(
        lines[0].isEmpty(),
        () -> "nothing logged; logback said: " + context.getStatusManager().getCopyOfStatusList());
    assertTrue(
        lines[0].endsWith(
            "MCP client [evil\\n12:00:00.000 WARN  i.a.Hive - forged\\u0007] connected"),
        lines[0]);
  }

  /**
   * As in the hub's jar, with no logback XML to read: logback finds the configurator through its
   * service file, and it sets the log up and stops logback's own search.
   */
  @Test
  void withoutAnXmlFileTheHubsTextLogIsSetUp() {
    assertTrue(
        ServiceLoader.load(Configurator.class).stream()
            .anyMatch(found -> found.type() == TextLogging.class),
        "META-INF/services does not name TextLogging");
    LoggerContext context = new LoggerContext();
    try {
      TextLogging logging = new TextLogging(name -> false, key -> null);
      logging.setContext(context);
      assertEquals(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY, logging.configure(context));
      assertNotNull(context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("STDERR"));
      assertEquals(Level.INFO, context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getLevel());
      assertEquals(Level.WARN, context.getLogger("akka").getLevel());
      assertEquals(Level.INFO, context.getLogger("io.agenthive").getLevel());
    } finally {
      context.stop();
    }
  }

  /**
   * A logback XML on the class path (this module's tests have the actors' logback-test.xml) is left
   * to logback, which reads it as usual.
   */
  @Test
  void aConfigurationFileOfTheUsersOwnWins() {
    LoggerContext context = new LoggerContext();
    try {
      TextLogging logging = new TextLogging();
      logging.setContext(context);
      assertEquals(ExecutionStatus.INVOKE_NEXT_IF_ANY, logging.configure(context));
      assertNull(context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("STDERR"));
    } finally {
      context.stop();
    }
  }

  /**
   * A -Dlogback.configurationFile that names nothing (a typo, a relative path from another
   * directory) keeps the hub's text log: logback's own fallback would log DEBUG on stdout,
   * unescaped, into the output of export and replay. One that names a file hands over to logback.
   */
  @Test
  void aConfigurationFileThatIsNotThereKeepsTheHubsLog(@TempDir Path dir) throws Exception {
    Path own = Files.writeString(dir.resolve("mine.xml"), "<configuration/>");
    LoggerContext context = new LoggerContext();
    try {
      TextLogging typo =
          new TextLogging(name -> false, key -> property(key, dir.resolve("mien.xml").toString()));
      typo.setContext(context);
      assertEquals(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY, typo.configure(context));
      TextLogging mine = new TextLogging(name -> false, key -> property(key, own.toString()));
      assertEquals(ExecutionStatus.INVOKE_NEXT_IF_ANY, mine.configure(new LoggerContext()));
      TextLogging url =
          new TextLogging(name -> false, key -> property(key, own.toUri().toString()));
      assertEquals(ExecutionStatus.INVOKE_NEXT_IF_ANY, url.configure(new LoggerContext()));
    } finally {
      context.stop();
    }
  }

  private static String property(String key, String configurationFile) {
    return key.equals("logback.configurationFile") ? configurationFile : null;
  }
}
