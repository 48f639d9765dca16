package io.agenthive.hive;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import com.fasterxml.jackson.databind.JsonNode;
import io.agenthive.access.Principal;
import io.agenthive.agent.AgentSpec;
import io.agenthive.agent.AgentView;
import io.agenthive.agent.Capability;
import io.agenthive.skill.SkillRef;
import io.agenthive.task.Priority;
import io.agenthive.task.RequiredCapability;
import io.agenthive.task.Task;
import io.agenthive.task.TaskSpec;
import io.agenthive.task.TaskStatus;
import io.agenthive.testing.Eventually;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/** Starts the real hive under a test kit and offers short ways to drive it. */
public final class HiveTestKit {
  private static final Duration WAIT = Duration.ofSeconds(20);

  private HiveTestKit() {}

  public static Hive start(ActorTestKit kit) {
    CompletableFuture<Hive> started = new CompletableFuture<>();
    kit.spawn(HiveGuardian.create(started, system -> io.agenthive.matcher.Backlog.EMPTY), "hive");
    Hive hive = await(started);
    await(hive.ready(WAIT));
    return hive;
  }

  public static <T> T await(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new AssertionError("stage did not complete: " + e, e);
    }
  }

  public static Throwable failureOf(CompletionStage<?> stage) {
    try {
      stage.toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      return e.getCause();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("expected the stage to fail");
  }

  public static AgentView agent(Hive hive, String name, String skill, Capability... caps) {
    return await(
        hive.agents()
            .register(
                new AgentSpec(name, "worker", List.of(caps), SkillRef.named(skill)),
                Principal.HUB));
  }

  public static Capability cap(String name, double proficiency) {
    return new Capability(name, proficiency, Capability.DEFAULT_LEARNING_RATE);
  }

  public static RequiredCapability needs(String name, double minimum) {
    return new RequiredCapability(name, minimum);
  }

  public static TaskSpec task(String title, Priority priority, RequiredCapability... reqs) {
    return new TaskSpec(
        title, "", "general", priority, List.of(reqs), null, null, null, null, null);
  }

  public static TaskSpec task(String title, JsonNode input, Integer maxAttempts, Long timeoutMs) {
    return new TaskSpec(
        title,
        "",
        "general",
        Priority.MEDIUM,
        List.of(),
        input,
        null,
        maxAttempts,
        timeoutMs,
        null);
  }

  public static Task submit(Hive hive, TaskSpec spec) {
    return await(hive.tasks().submitTask(spec));
  }

  public static Task task(Hive hive, String taskId) {
    return await(hive.tasks().get(taskId))
        .orElseThrow(() -> new AssertionError("no task " + taskId));
  }

  /** Waits for the task to reach {@code status}; a timeout shows the task as last seen. */
  public static Task awaitStatus(Hive hive, String taskId, TaskStatus status) {
    return Eventually.until(
        () -> task(hive, taskId),
        t -> t.status() == status,
        "task " + taskId + " to become " + status.label());
  }

  /**
   * Checks a dataset result's lines: chunk 0, 1, 2 … each once, each starting where the one before
   * ended, together covering all {@code inputBytes}.
   */
  public static void assertEachChunkOnceInOrder(List<String> lines, long inputBytes)
      throws Exception {
    com.fasterxml.jackson.databind.ObjectMapper json =
        new com.fasterxml.jackson.databind.ObjectMapper();
    long offset = 0;
    for (int i = 0; i < lines.size(); i++) {
      JsonNode line = json.readTree(lines.get(i));
      org.junit.jupiter.api.Assertions.assertEquals(
          i, line.path("chunk").asInt(), "each chunk once, in order");
      org.junit.jupiter.api.Assertions.assertEquals(offset, line.path("offset").asLong());
      offset += line.path("length").asLong();
    }
    org.junit.jupiter.api.Assertions.assertEquals(inputBytes, offset);
  }

  /** A dataset task's folded result, line by line, as this node's blob store holds it. */
  public static List<String> resultLines(Hive hive, String taskId) {
    return blobText(hive.system(), io.agenthive.dataset.DatasetBlobs.resultId(taskId))
        .lines()
        .toList();
  }

  /** A whole blob of this node's store, as UTF-8 text. */
  public static String blobText(akka.actor.typed.ActorSystem<?> system, String blobId) {
    return await(
            io.agenthive.blob.BlobStores.get(system)
                .read(blobId, 0, -1)
                .runWith(
                    akka.stream.javadsl.Sink.fold(
                        akka.util.ByteString.emptyByteString(), akka.util.ByteString::concat),
                    system))
        .utf8String();
  }

  /** Ids of the task entities alive in this node's shard region. */
  public static java.util.Set<String> liveTaskEntities(ActorTestKit kit) {
    var reply = kit.<akka.cluster.sharding.ShardRegion.CurrentShardRegionState>createTestProbe();
    akka.cluster.sharding.typed.javadsl.ClusterSharding.get(kit.system())
        .shardState()
        .tell(
            new akka.cluster.sharding.typed.GetShardRegionState(
                io.agenthive.task.TaskEntity.TYPE_KEY, reply.getRef()));
    java.util.Set<String> ids = new java.util.HashSet<>();
    reply.receiveMessage().getShards().forEach(shard -> ids.addAll(shard.getEntityIds()));
    return ids;
  }
}
