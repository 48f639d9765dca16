package io.agenthive.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Start → ready on an empty journal with a class-data archive, as {@code ./hive} runs the hub once
 * its first run after a build recorded one: the hub and its ceiling, the hello-world JVM, each with
 * an archive of its own, recorded by one cleanly stopped run (the JVM writes it at exit), so the
 * two are compared under the same JVM settings.
 */
final class ClassArchiveStarts {
  private static final List<String> QUIET = List.of("-Xlog:cds=off", "-Xlog:cds+dynamic=off");

  private ClassArchiveStarts() {}

  static Figure run(Bench.Options options) throws Exception {
    Path dir = Files.createTempDirectory("hive-bench-cds-");
    Path hello = dir.resolve("hello.jsa");
    Path hub = dir.resolve("hub.jsa");
    startHello(recording(hello));
    startHub(options, recording(hub));
    List<Double> helloStarts = new ArrayList<>();
    List<Double> hubStarts = new ArrayList<>();
    for (int run = 1; run <= options.runs(); run++) {
      helloStarts.add(startHello(using(hello)));
      hubStarts.add(startHub(options, using(hub)));
    }
    return Figure.of("recovery", "start → ready, empty journal, class-data archive", hubStarts, "s")
        .against("hello-world JVM start with its own archive", helloStarts);
  }

  private static List<String> recording(Path archive) {
    List<String> jvm = new ArrayList<>(QUIET);
    jvm.add("-XX:ArchiveClassesAtExit=" + archive);
    return jvm;
  }

  private static List<String> using(Path archive) {
    if (!Files.exists(archive)) {
      throw new IllegalStateException("no class-data archive was written at " + archive);
    }
    List<String> jvm = new ArrayList<>(QUIET);
    jvm.add("-XX:SharedArchiveFile=" + archive);
    return jvm;
  }

  /** Seconds to "hello ready"; stopped cleanly, so a recording run writes its archive. */
  private static double startHello(List<String> extraJvm) throws Exception {
    List<String> jvm = new ArrayList<>(HubProcess.JVM);
    jvm.addAll(extraJvm);
    Path log = Files.createTempFile("hive-bench-hello-", ".log");
    long start = System.nanoTime();
    try (Processes.Child hello =
        Processes.java(
            HelloServer.class.getName(),
            jvm,
            List.of(Integer.toString(Processes.freePort())),
            Map.of(),
            log,
            false)) {
      hello.await(Pattern.compile("hello ready"), Duration.ofMinutes(1));
      return (System.nanoTime() - start) / 1e9;
    }
  }

  private static double startHub(Bench.Options options, List<String> extraJvm) throws Exception {
    try (BenchDb db = BenchDb.h2()) {
      HubProcess.Started started = HubProcess.start(options, db.env(), extraJvm, true);
      started.child().close();
      return started.wallSeconds();
    }
  }
}
