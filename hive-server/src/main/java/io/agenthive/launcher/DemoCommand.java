package io.agenthive.launcher;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import io.agenthive.access.Principal;
import io.agenthive.agent.AgentSpec;
import io.agenthive.agent.AgentView;
import io.agenthive.agent.Capability;
import io.agenthive.hive.Hive;
import io.agenthive.node.HiveNode;
import io.agenthive.skill.SimulatedSkill;
import io.agenthive.skill.SkillRef;
import io.agenthive.task.Priority;
import io.agenthive.task.RequiredCapability;
import io.agenthive.task.TaskSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * A short, self-contained show of the hive: a fresh database under {@code <data-dir>/demo}, a
 * handful of agents with different capabilities on the simulated skill, a few dozen tasks of mixed
 * priority and requirements, a live progress table, and a summary. One specialist joins half-way,
 * so the tasks only it qualifies for visibly wait until then.
 */
final class DemoCommand {
  private static final Duration LIMIT = Duration.ofMinutes(3);

  private DemoCommand() {}

  record Options(int agents, int tasks, long seed) {
    static Options parse(List<String> args) throws UsageError {
      CommandOptions o =
          CommandOptions.parse("./hive demo", args, Set.of("agents", "tasks", "seed"), Set.of());
      return new Options(
          o.count("agents", 6, 1), o.count("tasks", 36, 1), o.whole("seed", 7, Long.MIN_VALUE));
    }
  }

  static int run(Config config, Options options) throws Exception {
    Path dir = Path.of(config.getString("hive.persistence.data-dir"), "demo");
    deleteRecursively(dir);
    Config demoConfig =
        config.withValue(
            "hive.persistence.data-dir", ConfigValueFactory.fromAnyRef(dir.toString()));
    Hive hive = HiveNode.start("hive-demo", demoConfig);
    try {
      get(hive.ready(Duration.ofSeconds(60)));
      return show(hive, options);
    } finally {
      hive.system().terminate();
      hive.system().getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  private static int show(Hive hive, Options options) throws Exception {
    Random random = new Random(options.seed());
    List<AgentSpec> crew = DemoCrew.agents(options.agents(), options.seed());
    long start = System.nanoTime();
    List<String> agentIds = new ArrayList<>();
    for (AgentSpec spec : crew.subList(0, crew.size() - 1)) {
      agentIds.add(get(hive.agents().register(spec, Principal.HUB)).id());
    }
    List<String> taskIds = new ArrayList<>();
    for (int i = 0; i < options.tasks(); i++) {
      taskIds.add(get(hive.tasks().submitTask(DemoCrew.task(i, random))).id());
    }
    System.out.printf(
        "Registered %d agents and submitted %d tasks; the specialist '%s' joins" + " half-way.%n%n",
        crew.size() - 1, taskIds.size(), crew.get(crew.size() - 1).name());
    ProgressTable table = new ProgressTable(hive, taskIds, agentIds);
    boolean specialistJoined = false;
    while (true) {
      ProgressTable.Snapshot now = table.snapshot();
      System.out.println(now.render(elapsed(start)));
      if (!specialistJoined && now.finished() >= taskIds.size() / 2) {
        AgentView joined = get(hive.agents().register(crew.get(crew.size() - 1), Principal.HUB));
        agentIds.add(joined.id());
        System.out.printf("  -> specialist %s joined%n", joined.name());
        specialistJoined = true;
      }
      if (now.finished() == taskIds.size()) {
        break;
      }
      if (elapsed(start).compareTo(LIMIT) > 0) {
        System.out.println("The demo did not finish within " + LIMIT + ".");
        return 1;
      }
      Thread.sleep(500); // allowed: the launcher's main thread paces its progress output
    }
    System.out.println();
    System.out.println(table.summary(elapsed(start)));
    return 0;
  }

  private static Duration elapsed(long start) {
    return Duration.ofNanos(System.nanoTime() - start);
  }

  static <T> T get(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /** The demo's cast and workload, derived from the seed. */
  static final class DemoCrew {
    private static final String[][] CAST = {
      {"alpha-coder", "worker", "code:0.9", "testing:0.6"},
      {"beta-writer", "specialist:writing", "writing:0.85", "research:0.5"},
      {"gamma-analyst", "specialist:data", "data:0.8", "research:0.7"},
      {"delta-generalist", "worker", "code:0.5", "writing:0.5", "data:0.5"},
      {"epsilon-tester", "worker", "testing:0.9", "code:0.4"},
      {"zeta-learner", "learner", "research:0.3", "writing:0.3"},
    };
    private static final String[] NEEDS = {"code", "writing", "data", "testing", "research"};

    private DemoCrew() {}

    /** {@code count} agents from the cast, then the security specialist who joins late. */
    static List<AgentSpec> agents(int count, long seed) {
      List<AgentSpec> out = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        String[] row = CAST[i % CAST.length];
        String name = i < CAST.length ? row[0] : row[0] + "-" + (i / CAST.length + 1);
        List<Capability> caps = new ArrayList<>();
        for (int c = 2; c < row.length; c++) {
          String[] kv = row[c].split(":");
          double lr = row[1].equals("learner") ? 0.5 : Capability.DEFAULT_LEARNING_RATE;
          caps.add(new Capability(kv[0], Double.parseDouble(kv[1]), lr));
        }
        out.add(new AgentSpec(name, row[1], caps, skill(seed + i)));
      }
      out.add(
          new AgentSpec(
              "eta-security",
              "specialist:security",
              List.of(new Capability("security", 0.9, 0.1)),
              skill(seed + count)));
      return out;
    }

    static TaskSpec task(int i, Random random) {
      Priority priority = Priority.values()[random.nextInt(Priority.values().length)];
      List<RequiredCapability> needs = new ArrayList<>();
      String title;
      if (i % 9 == 4) {
        needs.add(new RequiredCapability("security", 0.6));
        title = "security review #" + i;
      } else if (i % 7 == 0) {
        title = "housekeeping #" + i;
      } else {
        String need = NEEDS[random.nextInt(NEEDS.length)];
        needs.add(new RequiredCapability(need, Math.round(random.nextDouble() * 5) / 10.0));
        title = need + " job #" + i;
      }
      return new TaskSpec(
          title, "demo task " + i, "demo", priority, needs, null, null, null, null, null);
    }

    private static SkillRef skill(long seed) {
      ObjectNode config =
          JsonNodeFactory.instance
              .objectNode()
              .put("min_duration_ms", 150)
              .put("max_duration_ms", 900)
              .put("seed", seed);
      return new SkillRef(SimulatedSkill.NAME, config);
    }
  }
}
