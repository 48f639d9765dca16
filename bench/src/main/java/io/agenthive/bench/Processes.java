package io.agenthive.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Child processes of the harness: hub nodes and servers in their own JVMs, load generators. */
final class Processes {
  private Processes() {}

  /** A running child JVM whose output goes to {@code log}. */
  record Child(Process process, Path log, boolean stateless) implements AutoCloseable {
    long pid() {
      return process.pid();
    }

    /** Waits for a line of the log matching {@code pattern}; returns its match. */
    Matcher await(Pattern pattern, Duration timeout) throws Exception {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (System.nanoTime() < deadline) {
        if (Files.exists(log)) {
          for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            Matcher m = pattern.matcher(line);
            if (m.find()) {
              return m;
            }
          }
        }
        if (!process.isAlive()) {
          throw new IllegalStateException("child exited (" + process.exitValue() + "); see " + log);
        }
        Thread.sleep(100); // allowed: the harness polls a child's log
      }
      throw new IllegalStateException("timed out waiting for " + pattern + " in " + log);
    }

    /** A stateless child (a server whose data is thrown away) is killed; others stop cleanly. */
    @Override
    public void close() throws Exception {
      if (stateless) {
        process.destroyForcibly().waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
        return;
      }
      process.destroy();
      if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    }
  }

  /** Starts {@code mainClass} in a new JVM on this harness's class path with the given options. */
  static Child java(
      String mainClass,
      List<String> jvmOptions,
      List<String> args,
      Map<String, String> env,
      Path log)
      throws IOException {
    return java(mainClass, jvmOptions, args, env, log, false);
  }

  static Child java(
      String mainClass,
      List<String> jvmOptions,
      List<String> args,
      Map<String, String> env,
      Path log,
      boolean stateless)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.addAll(jvmOptions);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(mainClass);
    cmd.addAll(args);
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().putAll(env);
    return new Child(pb.start(), log, stateless);
  }

  /** Runs a command to its end and returns its output (stdout and stderr). */
  static String run(List<String> cmd, Duration timeout) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("timed out: " + cmd);
    }
    return new String(out, StandardCharsets.UTF_8);
  }

  static boolean onPath(String program) {
    try {
      return run(List.of("sh", "-c", "command -v " + program), Duration.ofSeconds(10))
          .contains(program);
    } catch (Exception e) {
      return false;
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Resident set size of a process in MiB (Linux). */
  static double rssMiB(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
      }
    }
    throw new IllegalStateException("no VmRSS for " + pid);
  }

  /** Heap used by a JVM right after a full GC, in MiB, through {@code jcmd}. */
  static double heapAfterGcMiB(long pid) throws Exception {
    jcmd(pid, "GC.run");
    String info = jcmd(pid, "GC.heap_info");
    Matcher m = Pattern.compile("used (\\d+)K").matcher(info);
    if (!m.find()) {
      throw new IllegalStateException("unexpected GC.heap_info: " + info);
    }
    return Long.parseLong(m.group(1)) / 1024.0;
  }

  /** Runs a {@code jcmd} command against a JVM of this harness; its output. */
  static String jcmd(long pid, String command) throws Exception {
    String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
    return run(List.of(jcmd, Long.toString(pid), command), Duration.ofSeconds(60));
  }

  static String gitDescribe() {
    try {
      String head =
          run(List.of("git", "rev-parse", "--short", "HEAD"), Duration.ofSeconds(10)).trim();
      String dirty =
          run(
                      List.of("git", "status", "--porcelain", "--untracked-files=no"),
                      Duration.ofSeconds(10))
                  .isBlank()
              ? ""
              : "-dirty";
      return head + dirty;
    } catch (Exception e) {
      return "unknown";
    }
  }
}
