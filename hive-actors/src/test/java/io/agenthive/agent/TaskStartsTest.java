package io.agenthive.agent;

import static io.agenthive.testing.Eventually.until;
import static org.junit.jupiter.api.Assertions.*;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.MemberStatus;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.Entity;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import com.typesafe.config.ConfigFactory;
import io.agenthive.agent.AgentProtocol.StartAnswered;
import io.agenthive.task.TaskEntity;
import io.agenthive.task.TaskProtocol;
import io.agenthive.task.TaskReplies;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An agent's start requests through sharding, to a task that does not answer its first starts (as
 * when they are dropped during a shard's hand-off): tried again within the timeout, at most five
 * times, and only a try that got no answer in time is tried again.
 */
class TaskStartsTest {
  static final ActorTestKit kit = ActorTestKit.create(ConfigFactory.load("application-test"));
  static final Duration TIMEOUT = Duration.ofSeconds(5);
  // per task: how many starts it leaves unanswered, and how many it received
  static final Map<String, Integer> unanswered = new ConcurrentHashMap<>();
  static final Map<String, Integer> received = new ConcurrentHashMap<>();

  @BeforeAll
  static void tasksBehindSharding() {
    Cluster cluster = Cluster.get(kit.system());
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    until(() -> cluster.selfMember().status(), MemberStatus.up()::equals, "the node to be up");
    ClusterSharding.get(kit.system())
        .init(Entity.of(TaskEntity.TYPE_KEY, entity -> task(entity.getEntityId())));
  }

  @AfterAll
  static void shutdown() {
    kit.shutdownTestKit();
  }

  /** Answers "refused" to every start past the first {@code unanswered} ones. */
  static Behavior<TaskProtocol.Command> task(String id) {
    return Behaviors.receive(TaskProtocol.Command.class)
        .onMessage(
            TaskProtocol.Start.class,
            start -> {
              int n = received.merge(id, 1, Integer::sum);
              if (n > unanswered.getOrDefault(id, 0)) {
                start.replyTo().tell(new TaskReplies.Refused(null, "answered try " + n));
              }
              return Behaviors.same();
            })
        .build();
  }

  /** Starts {@code taskId} as an agent does, and passes on the answer that ends its tries. */
  StartAnswered startAsAnAgent(String taskId) {
    TestProbe<StartAnswered> ended = kit.createTestProbe();
    kit.spawn(
        Behaviors.<AgentProtocol.Command>setup(
            ctx -> {
              TaskStarts starts = new TaskStarts(ctx, "a-1", TIMEOUT);
              starts.ask(taskId, null);
              return Behaviors.receive(AgentProtocol.Command.class)
                  .onMessage(
                      StartAnswered.class,
                      answer -> {
                        if (!starts.again(answer, null)) {
                          ended.getRef().tell(answer);
                        }
                        return Behaviors.same();
                      })
                  .build();
            }));
    return ended.expectMessageClass(StartAnswered.class, TIMEOUT.multipliedBy(2));
  }

  @Test
  void aStartLeftUnansweredIsTriedAgainAndTheLaterAnswerCounts() {
    unanswered.put("t-dropped", 2);
    StartAnswered answer = startAsAnAgent("t-dropped");
    assertInstanceOf(TaskReplies.Refused.class, answer.reply());
    assertTrue(answer.tryNumber() >= 3, "two starts went unanswered");
    assertEquals(received.get("t-dropped"), answer.tryNumber(), "the last try's answer");
  }

  @Test
  void afterFiveTriesWithoutAnAnswerTheAgentHearsThereWasNone() {
    unanswered.put("t-silent", Integer.MAX_VALUE);
    StartAnswered answer = startAsAnAgent("t-silent");
    assertInstanceOf(TimeoutException.class, answer.error());
    assertEquals(TaskStarts.TRIES, answer.tryNumber());
    until(() -> received.get("t-silent"), n -> n == TaskStarts.TRIES, "the fifth start to arrive");
  }

  @Test
  void anAnsweredStartIsNotTriedAgain() {
    StartAnswered answer = startAsAnAgent("t-answered");
    assertInstanceOf(TaskReplies.Refused.class, answer.reply());
    assertEquals(1, answer.tryNumber());
    assertEquals(1, received.get("t-answered"));
  }
}
