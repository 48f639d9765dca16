package io.agenthive.bench;

import static io.agenthive.bench.BenchHttp.get;
import static io.agenthive.bench.BenchHttp.post;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Large inputs (issue 5): a generated NDJSON file of {@code --dataset-size} (default 2 GiB) run as
 * a dataset task by a hub process limited to {@code -Xmx256m}, with four agents running the noop
 * skill: split by records (every record parsed), and again by 1 MiB byte chunks. Throughput is
 * input MiB ÷ (submit → completed), every chunk journaled as a task and its records parsed; the
 * ceiling is {@code sha256sum} reading the same file in the same run (the floor any checksummed
 * pass pays). Peak heap is the largest heap occupancy the hub's GC log shows before a collection
 * during the run; live heap is the largest a full GC left during it; and the heap a forced full GC
 * leaves after the runs shows nothing is kept per chunk. All must stay flat when the input grows.
 */
final class DatasetScenario {
  private static final Pattern GC = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");
  private static final Pattern FULL_GC = Pattern.compile("Pause Full .*?(\\d+)M->(\\d+)M");
  private static final long MIB = 1024 * 1024;
  private static final List<String> FORMATS = List.of("ndjson", "bytes");

  private DatasetScenario() {}

  static List<Figure> run(Bench.Options options, List<String> notes) throws Exception {
    long size = options.quick() ? 256 * MIB : options.datasetBytes();
    Path dir = options.root().resolve("bench").resolve("target").resolve("dataset");
    Files.createDirectories(dir);
    Path input = generate(dir.resolve("records-" + size + ".ndjson"), size);
    Path warmUp = generate(dir.resolve("records-" + 64 * MIB + ".ndjson"), 64 * MIB);
    long bytes = Files.size(input);
    sha256sumSeconds(input); // the file is in the page cache for both from here on
    Path gcLog = Files.createTempFile("hive-bench-gc-", ".log");
    Path work = Files.createTempDirectory("hive-bench-datasets-");
    Map<String, List<Double>> mibPerSecond = new java.util.LinkedHashMap<>();
    List<Double> sha = new ArrayList<>();
    List<Double> peak = new ArrayList<>();
    List<Double> live = new ArrayList<>();
    List<Double> retained = new ArrayList<>();
    try (BenchDb db = BenchDb.h2()) {
      Map<String, String> env = new HashMap<>(db.env());
      env.put("HIVE_DATASET_DIRS", dir.toString());
      env.put("HIVE_DATASET_WORK_DIR", work.toString());
      HubProcess.Started hub =
          HubProcess.start(options, env, List.of("-Xmx256m", "-Xlog:gc:file=" + gcLog), false);
      try (Processes.Child child = hub.child()) {
        String base = "http://127.0.0.1:" + hub.port();
        HttpClient http = HttpClient.newHttpClient();
        for (int i = 0; i < 4; i++) {
          post(
              http,
              hub,
              base + "/api/agents",
              "{\"name\":\"bench-data-"
                  + i
                  + "\",\"type\":"
                  + "\"worker\",\"skill\":\"noop\",\"capabilities\":[{\"name\":\"bench.data\","
                  + "\"proficiency\":0.9}]}");
        }
        for (String format : FORMATS) {
          runOnce(http, hub, base, warmUp, format); // warm-up, not counted
        }
        for (int run = 0; run < options.runs(); run++) {
          int gcLinesBefore = Files.readAllLines(gcLog).size();
          for (String format : FORMATS) {
            double seconds = runOnce(http, hub, base, input, format);
            mibPerSecond
                .computeIfAbsent(format, f -> new ArrayList<>())
                .add(bytes / (double) MIB / seconds);
          }
          double[] heap = heapDuring(gcLog, gcLinesBefore);
          peak.add(heap[0]);
          if (heap[1] > 0) { // a run without a full GC says nothing about the live set
            live.add(heap[1]);
          }
          retained.add(heapAfterFullGc(child.pid(), gcLog));
          sha.add(bytes / (double) MIB / sha256sumSeconds(input));
        }
      }
    }
    String label = String.format("%.1f GiB", bytes / (double) (1024 * MIB));
    notes.add(
        "dataset: "
            + label
            + " of NDJSON ("
            + bytes
            + " bytes), 1 MiB chunks, "
            + "parallelism 8, 4 noop agents, hub -Xmx256m; input "
            + input);
    List<Figure> figures =
        new ArrayList<>(
            List.of(
                Figure.of(
                        "dataset",
                        label + " NDJSON by records (parsed)",
                        mibPerSecond.get("ndjson"),
                        "MiB/s")
                    .against("sha256sum of the same file", sha),
                Figure.of(
                        "dataset",
                        label + " by 1 MiB byte chunks",
                        mibPerSecond.get("bytes"),
                        "MiB/s")
                    .against("sha256sum of the same file", sha),
                Figure.of("dataset", label + ": peak heap used (before GC)", peak, "MiB")));
    if (!live.isEmpty()) {
      figures.add(
          Figure.of(
              "dataset", label + ": live heap (largest left by a full GC in a run)", live, "MiB"));
    }
    figures.add(Figure.of("dataset", label + ": heap after the runs (full GC)", retained, "MiB"));
    return figures;
  }

  /** Submits the file as a dataset task and waits for its end; seconds from submit to end. */
  private static double runOnce(
      HttpClient http, HubProcess.Started hub, String base, Path file, String format)
      throws Exception {
    long start = System.nanoTime();
    String id =
        post(
                http,
                hub,
                base + "/api/tasks",
                "{\"title\":\"bench dataset\","
                    + "\"required_capabilities\":[{\"name\":\"bench.data\"}],\"dataset\":{\"path\":\""
                    + file
                    + "\",\"format\":\""
                    + format
                    + "\",\"parallelism\":8}}")
            .get("id")
            .asText();
    while (true) {
      JsonNode task = get(http, hub, base + "/api/tasks/" + id);
      String status = task.get("status").asText();
      if (status.equals("completed")) {
        return (System.nanoTime() - start) / 1e9;
      }
      if (!status.equals("running")) {
        throw new IllegalStateException("dataset task ended " + status + ": " + task);
      }
      Thread.sleep(100); // allowed: the harness polls for the task's end
    }
  }

  /**
   * [largest heap before a GC, largest heap a full GC left] in the GC log lines after {@code from}.
   * A young GC's "after" counts old-generation garbage not yet collected, so only full GCs (G1
   * compacting when the heap ran full) say what was really live.
   */
  private static double[] heapDuring(Path gcLog, int from) throws Exception {
    List<String> lines = Files.readAllLines(gcLog);
    double before = 0;
    double liveAfterFull = 0;
    for (String line : lines.subList(Math.min(from, lines.size()), lines.size())) {
      Matcher m = GC.matcher(line);
      if (m.find()) {
        before = Math.max(before, Double.parseDouble(m.group(1)));
      }
      Matcher full = FULL_GC.matcher(line);
      if (full.find()) {
        liveAfterFull = Math.max(liveAfterFull, Double.parseDouble(full.group(2)));
      }
    }
    return new double[] {before, liveAfterFull};
  }

  /** Forces a full GC in the hub and reads what it left from the GC log (not racing the hub). */
  private static double heapAfterFullGc(long pid, Path gcLog) throws Exception {
    Processes.jcmd(pid, "GC.run");
    List<String> lines = Files.readAllLines(gcLog);
    for (int i = lines.size() - 1; i >= 0; i--) {
      Matcher m = FULL_GC.matcher(lines.get(i));
      if (lines.get(i).contains("Diagnostic Command") && m.find()) {
        return Double.parseDouble(m.group(2));
      }
    }
    throw new IllegalStateException("no full GC in " + gcLog);
  }

  private static double sha256sumSeconds(Path file) throws Exception {
    long start = System.nanoTime();
    Processes.run(List.of("sha256sum", file.toString()), Duration.ofMinutes(30));
    return (System.nanoTime() - start) / 1e9;
  }

  /** Writes NDJSON records until the file has at least {@code size} bytes (kept for reruns). */
  private static Path generate(Path file, long size) throws Exception {
    if (Files.exists(file) && Files.size(file) >= size) {
      return file;
    }
    Path part = file.resolveSibling(file.getFileName() + ".part");
    long written = 0;
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(part), 1 << 20)) {
      StringBuilder line = new StringBuilder(160);
      for (long n = 1; written < size; n++) {
        line.setLength(0);
        line.append("{\"id\":")
            .append(n)
            .append(",\"user\":\"user-")
            .append(n % 100_000)
            .append("\",\"score\":")
            .append((n * 7919) % 1000 / 1000.0)
            .append(",\"tags\":[\"alpha\",\"beta\"],\"text\":\"the quick brown fox jumps over ")
            .append("the lazy dog\"}\n");
        byte[] bytes = line.toString().getBytes(StandardCharsets.US_ASCII);
        out.write(bytes);
        written += bytes.length;
      }
    }
    Files.move(part, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    return file;
  }
}
