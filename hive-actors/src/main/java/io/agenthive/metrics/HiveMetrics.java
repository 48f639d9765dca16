package io.agenthive.metrics;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The hive's own Prometheus metrics, one registry per actor system (so two hubs in one JVM, as in
 * the tests, never mix their counts). Each node counts what it did itself: the submissions it
 * journaled and the attempts its agents ran, so summing a series over the nodes of a cluster gives
 * the hive's total. Label values are bounded: priorities and outcomes are enums, skills come from
 * the class path, and task types and models are capped by {@link BoundedLabel}.
 *
 * <p>Recording is a hash lookup and an atomic add, never on the matcher: submissions after their
 * journal write in the task entity, attempts in the agent that ran them, tokens in the llm skill,
 * journal writes in the journal's own DAO.
 */
public final class HiveMetrics implements Extension {
  /** Task waits and runs span milliseconds (the built-in skills) to many minutes (LLM chains). */
  private static final double[] SECONDS =
      new double[] {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900};

  /** Journal batches and HTTP requests: sub-millisecond to seconds. */
  private static final double[] FAST_SECONDS =
      new double[] {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10};

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final BoundedLabel taskTypes = new BoundedLabel(50);
  private final BoundedLabel models = new BoundedLabel(50);

  private final Counter submitted =
      Counter.builder()
          .name("hive_tasks_submitted_total")
          .help("Tasks journaled as submitted on this node")
          .labelNames("priority", "type")
          .register(registry);
  private final Counter completed =
      Counter.builder()
          .name("hive_tasks_completed_total")
          .help("Task attempts that succeeded on this node's agents (dataset chunks count each)")
          .labelNames("priority", "type", "skill")
          .register(registry);
  private final Counter failed =
      Counter.builder()
          .name("hive_tasks_failed_total")
          .help("Task attempts that failed or timed out on this node's agents, retried or not")
          .labelNames("priority", "type", "skill", "reason")
          .register(registry);
  private final Histogram wait =
      Histogram.builder()
          .name("hive_task_wait_seconds")
          .help("From submission to the start of a task's first attempt")
          .labelNames("priority")
          .classicOnly()
          .classicUpperBounds(SECONDS)
          .register(registry);
  private final Histogram run =
      Histogram.builder()
          .name("hive_task_run_seconds")
          .help("How long an attempt ran in its skill")
          .labelNames("skill")
          .classicOnly()
          .classicUpperBounds(SECONDS)
          .register(registry);
  private final Histogram approvalWait =
      Histogram.builder()
          .name("hive_approval_wait_seconds")
          .help(
              "From an approval opening to its decision, by outcome (approve, reject, timeout,"
                  + " cancelled); the open ones are hive_tasks{status=\"waiting_for_approval\"}")
          .labelNames("outcome")
          .classicOnly()
          .classicUpperBounds(1, 10, 60, 300, 900, 3600, 4 * 3600, 24 * 3600, 7 * 24 * 3600)
          .register(registry);
  private final Histogram journalWrite =
      Histogram.builder()
          .name("hive_journal_write_seconds")
          .help("One batched journal insert, from the start of the statement to its commit")
          .classicOnly()
          .classicUpperBounds(FAST_SECONDS)
          .register(registry);
  private final Counter llmTokens =
      Counter.builder()
          .name("hive_llm_tokens_total")
          .help("Tokens the llm skill's providers reported, by model and direction")
          .labelNames("model", "direction")
          .register(registry);

  private final Counter unreadable =
      Counter.builder()
          .name("hive_events_unreadable_total")
          .help(
              "Journal events this node could not deserialize and skipped (each counted once per"
                  + " node), by entity kind; GET /api/admin/quarantine lists them")
          .labelNames("entity_kind")
          .register(registry);

  private final Counter reconciled =
      Counter.builder()
          .name("hive_tasks_reconciled_total")
          .help(
              "Mends the matcher made when it compared its picture with the journal (a lost"
                  + " message), by kind: pending_requeued, ended_dropped, running_adopted,"
                  + " lease_expired, run_not_held, slot_freed, agent_joined,"
                  + " agent_record_corrected, counts_corrected")
          .labelNames("kind")
          .register(registry);

  private final Map<String, Object> shared = new ConcurrentHashMap<>();

  private HiveMetrics() {}

  /**
   * What {@code make} registers, made once per actor system under {@code key}: a second set of
   * routes on the same system must not register its series again (the registry refuses a name
   * twice).
   */
  @SuppressWarnings("unchecked")
  public <T> T shared(String key, Supplier<T> make) {
    return (T) shared.computeIfAbsent(key, k -> make.get());
  }

  public static HiveMetrics get(ActorSystem<?> system) {
    return Id.INSTANCE.apply(system);
  }

  /** Where the HTTP side adds its own series and which it exposes at {@code /metrics}. */
  public PrometheusRegistry registry() {
    return registry;
  }

  /** Request durations use the same buckets as the journal's writes. */
  public static double[] fastBuckets() {
    return FAST_SECONDS.clone();
  }

  /** An approval was decided (or timed out, or was cancelled) after {@code waitedSeconds}. */
  public void approvalEnded(String outcome, double waitedSeconds) {
    approvalWait.labelValues(outcome).observe(waitedSeconds);
  }

  public void submitted(String priority, String type) {
    submitted.labelValues(priority, taskTypes.of(type)).inc();
  }

  public void started(String priority, double waitedSeconds) {
    wait.labelValues(priority).observe(waitedSeconds);
  }

  public void completed(String priority, String type, String skill, double ranSeconds) {
    completed.labelValues(priority, taskTypes.of(type), skill).inc();
    run.labelValues(skill).observe(ranSeconds);
  }

  /** {@code reason}: {@code error} or {@code timeout}. */
  public void failed(String priority, String type, String skill, String reason, double ranSeconds) {
    failed.labelValues(priority, taskTypes.of(type), skill, reason).inc();
    run.labelValues(skill).observe(ranSeconds);
  }

  /** {@code kind}: one of the reconciliation's fixed kinds. */
  public void reconciled(String kind) {
    reconciled.labelValues(kind).inc();
  }

  /** {@code entityKind}: the persistence id's type part (Task, Agent, …), a bounded set. */
  public void eventUnreadable(String entityKind) {
    unreadable.labelValues(entityKind).inc();
  }

  public void journalWrite(double seconds) {
    journalWrite.observe(seconds);
  }

  public void llmTokens(String model, long input, long output) {
    String m = models.of(model);
    if (input > 0) {
      llmTokens.labelValues(m, "input").inc(input);
    }
    if (output > 0) {
      llmTokens.labelValues(m, "output").inc(output);
    }
  }

  private static final class Id extends ExtensionId<HiveMetrics> {
    static final Id INSTANCE = new Id();

    @Override
    public HiveMetrics createExtension(ActorSystem<?> system) {
      return new HiveMetrics();
    }
  }
}
