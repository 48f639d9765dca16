package io.agenthive.http.api;

import io.agenthive.http.json.Json;
import io.agenthive.persistence.audit.Checkpoint;
import io.agenthive.persistence.audit.JournalVerifier;
import java.time.Instant;
import java.util.List;

/**
 * The shapes of a journal verification, for {@code GET /api/audit/verify} (NDJSON: progress lines,
 * then the result) and {@code ./hive verify --json}.
 */
public final class VerifyFormat {
  private VerifyFormat() {}

  record Progress(long rowsRead) {}

  record CheckpointJson(
      long fromOffset,
      long toOffset,
      long events,
      String merkleRoot,
      Instant signedAt,
      String keyId) {}

  record BreakJson(String kind, String entity, long sequenceNr, long offset, String detail) {}

  record ResultJson(
      boolean intact,
      long events,
      long unchainedEvents,
      long checkpoints,
      CheckpointJson newestCheckpoint,
      long eventsAfterNewestCheckpoint,
      long breakCount,
      List<BreakJson> breaks,
      String summary) {}

  static byte[] progressLine(long rowsRead) {
    return line(Json.bytes(new Progress(rowsRead)));
  }

  record ErrorLine(String error) {}

  static byte[] errorLine(String error) {
    return line(Json.bytes(new ErrorLine(error)));
  }

  /**
   * A checkpoint as an export carries it: with its signature (base64), so a copy can be checked.
   */
  record ExportedCheckpoint(
      long fromOffset,
      long toOffset,
      long events,
      String merkleRoot,
      Instant signedAt,
      String keyId,
      String signature) {}

  record CheckpointLine(ExportedCheckpoint checkpoint) {}

  /**
   * {@code ./hive export}'s line for a checkpoint, after the events: {@code {"checkpoint": ...}}.
   */
  public static byte[] checkpointLine(Checkpoint k) {
    return line(
        Json.bytes(
            new CheckpointLine(
                new ExportedCheckpoint(
                    k.fromOrdering() + 1,
                    k.toOrdering(),
                    k.events(),
                    k.rootHex(),
                    Instant.ofEpochMilli(k.createdAtMs()),
                    k.keyId(),
                    java.util.Base64.getEncoder().encodeToString(k.signature())))));
  }

  public static byte[] resultLine(JournalVerifier.Report r) {
    return line(Json.bytes(result(r)));
  }

  static ResultJson result(JournalVerifier.Report r) {
    Checkpoint k = r.newestCheckpoint();
    return new ResultJson(
        r.intact(),
        r.events(),
        r.unchainedEvents(),
        r.checkpoints(),
        k == null
            ? null
            : new CheckpointJson(
                k.fromOrdering() + 1,
                k.toOrdering(),
                k.events(),
                k.rootHex(),
                Instant.ofEpochMilli(k.createdAtMs()),
                k.keyId()),
        r.eventsAfterNewestCheckpoint(),
        r.breakCount(),
        r.breaks().stream()
            .map(
                b ->
                    new BreakJson(
                        b.kind(), b.persistenceId(), b.sequenceNr(), b.offset(), b.detail()))
            .toList(),
        summary(r));
  }

  /** One or two plain sentences for a person: the command line prints this. */
  public static String summary(JournalVerifier.Report r) {
    Checkpoint k = r.newestCheckpoint();
    String checkpoints =
        k == null
            ? "no checkpoint yet"
            : r.checkpoints()
                + " signed checkpoints, the newest over offsets up to "
                + k.toOrdering()
                + " signed at "
                + Instant.ofEpochMilli(k.createdAtMs())
                + (r.eventsAfterNewestCheckpoint() > 0
                    ? "; "
                        + r.eventsAfterNewestCheckpoint()
                        + " newer events are protected by their hash chains until the next one"
                    : "");
    if (r.intact()) {
      return "The journal is intact: "
          + r.events()
          + " events"
          + (r.unchainedEvents() > 0
              ? " (" + r.unchainedEvents() + " from before the hub hashed events, not checked)"
              : "")
          + ", "
          + checkpoints
          + ".";
    }
    return "The journal was altered: "
        + r.breakCount()
        + " broken links. The first: "
        + where(r.breaks().get(0))
        + " "
        + r.breaks().get(0).detail()
        + ".";
  }

  /** Where a break is, for a person: its entity and event when it has one, and its offset. */
  public static String where(JournalVerifier.Break b) {
    return (b.persistenceId().isEmpty()
            ? ""
            : b.persistenceId() + " event " + b.sequenceNr() + " at ")
        + "offset "
        + b.offset();
  }

  private static byte[] line(byte[] json) {
    return AuditFormat.withNewline(json);
  }
}
