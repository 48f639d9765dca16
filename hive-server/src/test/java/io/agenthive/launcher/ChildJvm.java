package io.agenthive.launcher;

import io.agenthive.testing.Eventually;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * The command line of a JVM the tests start as a separate process (a hub, a node of a cluster, a
 * worker, a command): this JVM's own java and classpath, plus class data sharing.
 *
 * <p>Why: the tests start a hub process about a hundred times in a CI run, and each start spent
 * about 3.5 of its 7.5 seconds loading and verifying the same Akka, Scala and Jackson classes. So
 * the first child of a test JVM is a training run: a hub on H2 that starts, reaches "ready" and
 * stops, recording the classes it loaded into an archive (as {@code ./hive} does for people); every
 * later child maps that archive. The JVM only archives classes from jars, and refuses to archive at
 * all while a non-empty directory stands on the classpath before a used jar, so the module's {@code
 * target/classes} and {@code target/test-classes} are copied into jars first, in their places on
 * the classpath (the order decides which {@code reference.conf} wins).
 *
 * <p>A child whose classpath no longer matches the archive runs without it: the JVM checks every
 * jar's size and time, and its logging of that is switched off, so a child's output is its own.
 */
public final class ChildJvm {
  private static final Duration TRAINING_WITHIN = Duration.ofSeconds(180);
  private static final Path DIR = Path.of("target", "child-jvm").toAbsolutePath();
  private static final List<String> QUIET = List.of("-Xlog:cds=off", "-Xlog:cds+dynamic=off");
  private static List<String> prefix;
  private static String classpath;

  private ChildJvm() {}

  /**
   * {@code java}, the archive's options, {@code jvmOptions}, {@code -cp} and the classpath: the
   * caller adds the main class and its arguments.
   */
  public static List<String> command(String... jvmOptions) {
    List<String> cmd = new ArrayList<>(List.of(java()));
    cmd.addAll(arguments(jvmOptions));
    return cmd;
  }

  /**
   * {@link #command} without its first word, for a launcher that is given {@link #java} apart (the
   * MCP client's {@code ServerParameters}).
   */
  public static List<String> arguments(String... jvmOptions) {
    List<String> args = new ArrayList<>(archive());
    args.addAll(List.of(jvmOptions));
    args.add("-cp");
    args.add(classpath());
    return args;
  }

  /** The path of this JVM's {@code java}. */
  public static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static synchronized List<String> archive() {
    if (prefix == null) {
      try {
        prefix = train();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while training the child JVMs' archive", e);
      }
    }
    return prefix;
  }

  /** This JVM's classpath with each directory replaced by a jar of it, made once per test JVM. */
  private static synchronized String classpath() {
    if (classpath == null) {
      List<String> entries = new ArrayList<>();
      for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
        Path p = Path.of(entry).toAbsolutePath();
        entries.add(Files.isDirectory(p) ? jarOf(p, entries.size()).toString() : p.toString());
      }
      classpath = String.join(File.pathSeparator, entries);
    }
    return classpath;
  }

  private static Path jarOf(Path dir, int place) {
    Path jar = DIR.resolve(place + "-" + dir.getFileName() + ".jar");
    try {
      Files.createDirectories(DIR);
      try (OutputStream out = Files.newOutputStream(jar);
          JarOutputStream zip = new JarOutputStream(out);
          Stream<Path> files = Files.walk(dir)) {
        for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
          String name = dir.relativize(f).toString().replace(File.separatorChar, '/');
          zip.putNextEntry(new JarEntry(name));
          Files.copy(f, zip);
          zip.closeEntry();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return jar;
  }

  /**
   * Starts a hub on H2 that records its classes when it stops, waits for its "ready", stops it and
   * waits for the archive.
   */
  private static List<String> train() throws IOException, InterruptedException {
    Path archive = DIR.resolve("hub.jsa");
    Files.createDirectories(DIR);
    Files.deleteIfExists(archive);
    Path work = Files.createTempDirectory(DIR, "training");
    Path log = work.resolve("training.log");
    List<String> cmd = new ArrayList<>(List.of(java(), "-XX:ArchiveClassesAtExit=" + archive));
    cmd.addAll(QUIET);
    cmd.addAll(
        List.of(
            "-Xmx512m",
            "-cp",
            classpath(),
            "-Dakka.remote.artery.canonical.port=0",
            Main.class.getName(),
            "serve"));
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("HIVE_DATA_DIR", work.resolve("data").toString());
    pb.environment().put("HIVE_HTTP_PORT", String.valueOf(TestPorts.free()));
    pb.environment().remove("HIVE_DB");
    Process hub = pb.start();
    try {
      Eventually.eventually(
          () -> {
            String text = Files.readString(log, StandardCharsets.UTF_8);
            if (!hub.isAlive()) {
              throw new AssertionError("the training hub stopped while starting:\n" + text);
            }
            return text.contains("ready on http") ? Boolean.TRUE : null;
          },
          "the training hub ready (log " + log + ")",
          TRAINING_WITHIN);
      hub.destroy(); // SIGTERM: the archive is written as the JVM exits
      if (!hub.waitFor(TRAINING_WITHIN.toSeconds(), TimeUnit.SECONDS)) {
        throw new AssertionError("the training hub did not stop (log " + log + ")");
      }
    } finally {
      hub.destroyForcibly();
    }
    if (!Files.isRegularFile(archive)) {
      throw new AssertionError("the training hub wrote no class archive (log " + log + ")");
    }
    List<String> options =
        new ArrayList<>(
            List.of(
                "-XX:SharedArchiveFile=" + archive,
                // Debian's JDK 17 maps archives at a random address by default and then
                // relocates every pointer in this one (100 MB): a quarter of a second, more than
                // a short command saves. Mapped where it was made, it needs no relocation
                "-XX:+UnlockDiagnosticVMOptions",
                "-XX:ArchiveRelocationMode=0"));
    options.addAll(QUIET);
    return List.copyOf(options);
  }
}
