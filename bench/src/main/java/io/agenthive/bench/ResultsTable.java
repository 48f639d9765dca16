package io.agenthive.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/** Formats the figures as a Markdown table with the machine it ran on, and appends it. */
final class ResultsTable {
  private ResultsTable() {}

  static String render(List<Figure> figures, boolean quick, List<String> notes) {
    StringBuilder out = new StringBuilder();
    out.append("## ")
        .append(ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME))
        .append(quick ? " (quick)" : "")
        .append("\n\n");
    out.append("commit `")
        .append(Processes.gitDescribe())
        .append("` · JDK ")
        .append(System.getProperty("java.vendor"))
        .append(' ')
        .append(System.getProperty("java.version"))
        .append(" · ")
        .append(Runtime.getRuntime().availableProcessors())
        .append(" cores · ")
        .append(memoryGiB())
        .append(" GiB RAM · ")
        .append(ManagementFactory.getOperatingSystemMXBean().getName())
        .append("\n\n");
    out.append("| scenario | figure | min | median | max | unit | ceiling (median) | ratio |\n");
    out.append("|---|---|---:|---:|---:|---|---|---:|\n");
    for (Figure f : figures) {
      out.append("| ")
          .append(f.scenario())
          .append(" | ")
          .append(f.name())
          .append(" | ")
          .append(num(f.min()))
          .append(" | ")
          .append(num(f.median()))
          .append(" | ")
          .append(num(f.max()))
          .append(" | ")
          .append(f.unit())
          .append(" | ");
      if (f.hasCeiling()) {
        out.append(f.ceilingName())
            .append(": ")
            .append(num(Figure.median(f.ceilingRuns())))
            .append(" | ")
            .append(
                Double.isFinite(f.ratio()) ? String.format(Locale.ROOT, "%.3f", f.ratio()) : "—");
      } else {
        out.append("— | —");
      }
      out.append(" |\n");
    }
    for (String note : notes) {
      out.append("\n- ").append(note);
    }
    return out.append("\n\n").toString();
  }

  static void append(Path file, String table) throws IOException {
    if (!Files.exists(file)) {
      Files.writeString(
          file,
          "# Benchmark results\n\nAppended by `./hive bench`; how to read"
              + " each figure: README.md in this folder.\n\n",
          StandardCharsets.UTF_8);
    }
    Files.writeString(file, table, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
  }

  static String num(double v) {
    if (Math.abs(v) >= 100) {
      return String.format(Locale.ROOT, "%,.0f", v);
    }
    return String.format(Locale.ROOT, Math.abs(v) >= 1 ? "%.2f" : "%.4f", v);
  }

  private static String memoryGiB() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          long kib = Long.parseLong(line.replaceAll("[^0-9]", ""));
          return String.format(Locale.ROOT, "%.1f", kib / 1024.0 / 1024.0);
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: the table says unknown rather than failing the run
    }
    return "?";
  }
}
