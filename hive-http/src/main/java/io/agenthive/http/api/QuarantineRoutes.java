package io.agenthive.http.api;

import static akka.http.javadsl.server.Directives.*;

import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.Route;
import io.agenthive.hive.Hive;
import io.agenthive.http.json.Responses;
import io.agenthive.persistence.Quarantine;
import io.agenthive.persistence.StandIns;
import java.time.Instant;
import java.util.List;

/**
 * {@code GET /api/admin/quarantine} (admin): the journal events a reader could not deserialize and
 * skipped, oldest offset first, with why; and how many this node skipped since it started.
 */
public final class QuarantineRoutes {
  static final int MAX_LISTED = 1000;
  private final Quarantine quarantine;

  public QuarantineRoutes(Hive hive) {
    this.quarantine = Quarantine.get(hive.system());
  }

  record EntryJson(
      String entityKind,
      String entityId,
      String persistenceId,
      long sequenceNr,
      long offset,
      String manifest,
      String reason,
      Instant firstSeen) {}

  record QuarantineJson(List<EntryJson> events, long skippedOnThisNode) {}

  public Route route(String requestId) {
    return pathPrefix("admin", () -> path("quarantine", () -> get(() -> list(requestId))));
  }

  private Route list(String requestId) {
    return Responses.async(
        requestId,
        quarantine.list(MAX_LISTED),
        entries ->
            Responses.json(
                StatusCodes.OK,
                new QuarantineJson(
                    entries.stream().map(QuarantineRoutes::view).toList(),
                    quarantine.skippedHere())));
  }

  private static EntryJson view(Quarantine.Entry e) {
    String pid = e.persistenceId();
    int bar = pid.indexOf('|');
    return new EntryJson(
        StandIns.kind(pid),
        bar < 0 ? "" : pid.substring(bar + 1),
        pid,
        e.sequenceNr(),
        e.offset(),
        e.manifest(),
        e.reason(),
        e.firstSeen());
  }
}
