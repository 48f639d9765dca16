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
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The hub's default log: plain text on stderr (stdout carries command output: export, replay, demo
 * tables), one line per message with its control characters escaped ({@link SafeMessage}), Akka,
 * Slick and Hikari at WARN, the rest at INFO.
 *
 * <p>Set up in code rather than by a {@code logback.xml}: reading one wakes logback's XML
 * configurator and the JDK's XML parser, about 360 classes a start loads for nothing else. A
 * configuration of the user's own still wins, where logback finds it: {@code
 * -Dlogback.configurationFile} (how {@code HIVE_LOG_FORMAT=json} selects {@code logback-json.xml}),
 * or a {@code logback.xml} or {@code logback-test.xml} on the class path (a test's, an application
 * that embeds the hub); logback then reads it as usual.
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

  /**
   * logback's own files, in its order of search: where one is found, logback reads it as usual. The
   * serialized models ({@code .scmo}) are logback's other form of configuration.
   */
  private static final List<String> FILES =
      List.of("logback-test.scmo", "logback.scmo", "logback-test.xml", "logback.xml");

  /** The system properties that name a file of the user's own, in logback's order. */
  private static final List<String> PROPERTIES =
      List.of("logback.configurationFile", "logback.scmoFile");

  /** Whether a resource of this name is on the class path logback reads its files from. */
  private final Predicate<String> onClassPath;

  private final UnaryOperator<String> properties;

  /** How logback makes it (named in {@code META-INF/services}). */
  public TextLogging() {
    this(name -> TextLogging.class.getClassLoader().getResource(name) != null, System::getProperty);
  }

  TextLogging(Predicate<String> onClassPath, UnaryOperator<String> properties) {
    this.onClassPath = onClassPath;
    this.properties = properties;
  }

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    if (PROPERTIES.stream().map(properties).anyMatch(this::found)
        || FILES.stream().anyMatch(onClassPath)) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    apply(context);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  /**
   * Whether logback will find the file a property names, looking as it does: a URL, a class-path
   * resource, a file. A name that finds nothing (a typo, a relative path from another directory)
   * leaves the hub's log as it is: logback itself would fall back to its basic set-up, DEBUG on
   * stdout, unescaped, into the output of export and replay.
   */
  private boolean found(String location) {
    if (location == null || location.isBlank()) {
      return false;
    }
    try {
      new URL(location);
      return true;
    } catch (MalformedURLException notAUrl) {
      // a resource or a file name, looked for below
    }
    try {
      return onClassPath.test(location) || Files.isRegularFile(Path.of(location));
    } catch (InvalidPathException notAPath) {
      return false;
    }
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
