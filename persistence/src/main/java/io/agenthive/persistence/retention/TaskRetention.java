package io.agenthive.persistence.retention;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.DispatcherSelector;
import io.agenthive.persistence.audit.JournalAudit;
import io.agenthive.persistence.audit.JournalSigner;
import io.agenthive.persistence.backup.BackupWriter;
import io.agenthive.persistence.files.DurableFile;
import io.agenthive.persistence.readside.RetiredTasks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retention of finished tasks ({@link RetentionSettings}). A sweep takes the tasks that ended for
 * good (completed, cancelled) before the cutoff, oldest first, and:
 *
 * <ol>
 *   <li>writes their journal rows to an archive file (written whole, forced to disk, then moved
 *       into place: a crash leaves no half archive under its final name);
 *   <li>in one transaction, removes them from the read tables and the counts by status and, with
 *       {@code delete-events} on, their events from the journal ({@link RetiredEvents}: tombstones
 *       kept, the newest row kept marked deleted, so a returning id goes on after it).
 * </ol>
 *
 * Workflow steps are never taken (an unfinished workflow re-submits its steps after a restart, and
 * a step waiting on a deleted one would never hear). A crash between the two steps leaves an
 * archive of tasks that are still listed; the next sweep archives them again in a new file. One
 * sweep runs at a time on a node, and on PostgreSQL the nodes of a cluster take turns (an advisory
 * lock).
 */
public final class TaskRetention {
  private static final Logger log = LoggerFactory.getLogger(TaskRetention.class);
  private static final long SWEEP_LOCK = 0x52455441L; // "RETA", any number, the same on every node
  private static final int LISTED = 20;

  /** What a sweep would take now ({@code enabled} false: retention is off). */
  public record Plan(
      boolean enabled, RetentionSettings settings, Instant cutoff, long due, List<String> first) {}

  /** What a sweep did: {@code archive} null when nothing was due or another node was sweeping. */
  public record Sweep(
      Instant cutoff, int retired, long rowsRemoved, long eventsDeleted, Path archive) {}

  private final RetentionSettings settings;
  private final JournalAudit.Connections db;
  private final JournalSigner signer;
  private final Executor blocking;
  private final Clock clock;
  private final ReentrantLock sweeping = new ReentrantLock();

  private TaskRetention(
      RetentionSettings settings,
      JournalAudit.Connections db,
      JournalSigner signer,
      Executor blocking,
      Clock clock) {
    this.settings = settings;
    this.db = db;
    this.signer = signer;
    this.blocking = blocking;
    this.clock = clock;
  }

  /** Retention on this node: sweeps every {@code sweep-interval} when it is on. */
  public static TaskRetention start(
      ActorSystem<?> system, JournalAudit.Connections db, JournalSigner signer) {
    RetentionSettings settings = RetentionSettings.from(system.settings().config());
    Executor blocking = system.dispatchers().lookup(DispatcherSelector.blocking());
    TaskRetention retention = new TaskRetention(settings, db, signer, blocking, Clock.systemUTC());
    if (settings.enabled()) {
      system
          .scheduler()
          .scheduleWithFixedDelay(
              settings.sweepInterval(),
              settings.sweepInterval(),
              retention::sweepQuietly,
              system.dispatchers().lookup(DispatcherSelector.blocking()));
    }
    return retention;
  }

  public RetentionSettings settings() {
    return settings;
  }

  /** The dry run: what a sweep now would take (all that are due are counted). */
  public CompletionStage<Plan> plan() {
    return CompletableFuture.supplyAsync(
        () -> {
          if (!settings.enabled()) {
            return new Plan(false, settings, null, 0, List.of());
          }
          Instant cutoff = clock.instant().minus(settings.finishedTasksAfter());
          try (Connection c = db.open()) {
            return new Plan(
                true,
                settings,
                cutoff,
                RetiredTasks.countDue(c, cutoff.toEpochMilli()),
                RetiredTasks.due(c, cutoff.toEpochMilli(), LISTED));
          } catch (SQLException e) {
            throw new IllegalStateException("reading what retention would remove failed", e);
          }
        },
        blocking);
  }

  /** One sweep now (whatever the interval); nothing when retention is off. */
  public CompletionStage<Sweep> sweep() {
    return CompletableFuture.supplyAsync(this::sweepNow, blocking);
  }

  private void sweepQuietly() {
    try {
      sweepNow();
    } catch (RuntimeException e) {
      log.warn("A retention sweep failed; the next one tries again", e);
    }
  }

  private Sweep sweepNow() {
    if (!settings.enabled()) {
      return new Sweep(null, 0, 0, 0, null);
    }
    Instant cutoff = clock.instant().minus(settings.finishedTasksAfter());
    if (!sweeping.tryLock()) {
      return new Sweep(
          cutoff, 0, 0, 0, null); // the timer's and an admin's sweep met: one is enough
    }
    try (Connection c = db.open()) {
      boolean postgres = "PostgreSQL".equals(c.getMetaData().getDatabaseProductName());
      if (postgres && !lock(c, "pg_try_advisory_lock")) {
        return new Sweep(cutoff, 0, 0, 0, null); // another node sweeps now
      }
      try {
        return sweep(c, cutoff);
      } finally {
        if (postgres) {
          lock(c, "pg_advisory_unlock");
        }
      }
    } catch (SQLException | IOException e) {
      throw new IllegalStateException("a retention sweep failed", e);
    } finally {
      sweeping.unlock();
    }
  }

  private Sweep sweep(Connection c, Instant cutoff) throws SQLException, IOException {
    List<String> ids = RetiredTasks.due(c, cutoff.toEpochMilli(), settings.perSweep());
    if (ids.isEmpty()) {
      return new Sweep(cutoff, 0, 0, 0, null);
    }
    List<String> pids = ids.stream().map(id -> "Task|" + id).toList();
    Path archive = archive(c, pids, cutoff);
    c.setAutoCommit(false);
    try {
      long rows = RetiredTasks.remove(c, ids);
      long events = settings.deleteEvents() ? RetiredEvents.delete(c, pids, signer) : 0;
      c.commit();
      log.info(
          "Retention: {} finished task(s) that ended before {} archived in {} and removed from the"
              + " read tables{}",
          ids.size(),
          cutoff,
          archive,
          settings.deleteEvents() ? ", " + events + " of their events from the journal" : "");
      return new Sweep(cutoff, ids.size(), rows, events, archive);
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(true);
    }
  }

  private Path archive(Connection c, List<String> pids, Instant cutoff)
      throws SQLException, IOException {
    Files.createDirectories(settings.archiveDir());
    // the first task's id too: two sweeps in one millisecond (nodes of a cluster) never share a
    // name
    String first = pids.get(0).substring("Task|".length());
    String name =
        "tasks-"
            + clock.millis()
            + "-"
            + first.substring(0, Math.min(8, first.length()))
            + "-"
            + pids.size()
            + ".ndjson";
    Path target = settings.archiveDir().resolve(name);
    DurableFile.write(
        target,
        out ->
            BackupWriter.archive(
                c,
                pids,
                "finished tasks that ended before " + cutoff + " (hive.retention)",
                signer,
                out));
    return target;
  }

  private static boolean lock(Connection c, String function) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT " + function + "(" + SWEEP_LOCK + ")")) {
      return rs.next() && rs.getBoolean(1);
    }
  }
}
