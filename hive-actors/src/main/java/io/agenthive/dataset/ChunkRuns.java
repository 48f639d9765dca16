package io.agenthive.dataset;

import akka.actor.typed.ActorSystem;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agenthive.blob.BlobStores;
import io.agenthive.common.Failures;
import io.agenthive.skill.Skill;
import io.agenthive.skill.SkillRequest;
import io.agenthive.skill.SkillResult;
import io.agenthive.task.ChunkRef;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * How an agent runs a chunk task: load the chunk's bytes on the I/O dispatcher and check their
 * digest, give the skill the parsed records (or the bytes), and wrap its output with the record
 * counts and malformed records the dataset's result needs. A checksum mismatch fails the chunk at
 * once; an I/O error is retried by the task's policy.
 */
public final class ChunkRuns {
  private ChunkRuns() {}

  public static CompletionStage<SkillResult> execute(
      Skill skill,
      SkillRequest request,
      ChunkRef chunk,
      CompletionStage<Void> abandoned,
      ActorSystem<?> system) {
    Datasets datasets = Datasets.get(system);
    CompletableFuture<ChunkLoader.Loaded> loading =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return ChunkLoader.load(chunk, BlobStores.get(system), datasets.settings());
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              } catch (ChunkIntegrityException e) {
                throw new CompletionException(e);
              }
            },
            datasets.io());
    return loading
        .thenCompose(
            loaded ->
                skill
                    .execute(withInput(request, loaded), abandoned)
                    .thenApply(result -> wrap(result, loaded, chunk)))
        .exceptionally(
            error -> {
              Throwable cause = Failures.cause(error);
              if (cause instanceof ChunkIntegrityException) {
                return SkillResult.failedFinal(cause.getMessage());
              }
              if (cause instanceof UncheckedIOException io2) {
                return SkillResult.failed("reading chunk " + chunk.index() + ": " + io2.getCause());
              }
              throw new CompletionException(cause);
            });
  }

  private static SkillRequest withInput(SkillRequest r, ChunkLoader.Loaded loaded) {
    return new SkillRequest(
        r.taskId(),
        r.attempt(),
        r.title(),
        r.description(),
        r.type(),
        loaded.input(),
        r.requiredCapabilities(),
        r.fitness(),
        r.deadline());
  }

  private static SkillResult wrap(SkillResult result, ChunkLoader.Loaded loaded, ChunkRef chunk) {
    if (!result.success()) {
      return result;
    }
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    if (chunk.format().byRecords()) {
      out.put("records", loaded.records()).put("malformed_count", loaded.malformedCount());
      if (loaded.malformedCount() > 0) {
        out.set("malformed", loaded.malformed());
      }
    } else {
      out.put("bytes", chunk.length());
    }
    out.set("output", result.output());
    return new SkillResult(true, out, null, result.qualityScore(), false, result.tokens());
  }
}
