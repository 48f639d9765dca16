package io.agenthive.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.pattern.DynamicConverter;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The hub's default log: plain text on stderr (stdout carries command output: export, replay, demo
 * tables), one line per message with its control characters escaped ({@link SafeMessage}), Akka,
 * Slick and Hikari at WARN, the rest at INFO.
 *
 * <p>Set up in code rather than by a {@code logback.xml}: reading one wakes logback's XML
 * configurator and the JDK's XML parser, about 360 classes a start loads for nothing else. A
 * configuration of the user's own still wins: {@code -Dlogback.configurationFile} (how {@code
 * HIVE_LOG_FORMAT=json} selects {@code logback-json.xml}), or a {@code logback.xml} or {@code
 * logback-test.xml} on the class path; logback then reads it as usual.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_NORMAL_PRIORITY)
public final class TextLogging extends ContextAwareBase implements Configurator {
  private static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level %logger{20} - %safeMsg%n";

  private static final Map<String, Level> LEVELS =
      Map.of(
          "akka", Level.WARN,
          "slick", Level.WARN,
          "com.zaxxer.hikari", Level.WARN,
          "io.agenthive", Level.INFO);

  /** Whether a resource of this name is on the class path logback reads its files from. */
  private final Predicate<String> onClassPath;

  /** How logback makes it (named in {@code META-INF/services}). */
  public TextLogging() {
    this(name -> TextLogging.class.getClassLoader().getResource(name) != null);
  }

  TextLogging(Predicate<String> onClassPath) {
    this.onClassPath = onClassPath;
  }

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    if (System.getProperty("logback.configurationFile") != null
        || onClassPath.test("logback-test.xml")
        || onClassPath.test("logback.xml")) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    apply(context);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  /** Sets {@code context} up as the hub's default text log. */
  static void apply(LoggerContext context) {
    Map<String, Supplier<DynamicConverter<?>>> words = new HashMap<>();
    words.put("safeMsg", SafeMessage::new);
    context.putObject(CoreConstants.PATTERN_RULE_REGISTRY_FOR_SUPPLIERS, words);
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(PATTERN);
    encoder.start();
    ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
    stderr.setContext(context);
    stderr.setName("STDERR");
    stderr.setTarget("System.err");
    stderr.setEncoder(encoder);
    stderr.start();
    ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.INFO);
    root.addAppender(stderr);
    LEVELS.forEach((name, level) -> context.getLogger(name).setLevel(level));
  }
}
