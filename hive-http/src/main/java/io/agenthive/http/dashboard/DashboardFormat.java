package io.agenthive.http.dashboard;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agenthive.agent.AgentState;
import io.agenthive.agent.AgentView;
import io.agenthive.agent.Capability;
import io.agenthive.http.json.Json;
import io.agenthive.task.Priority;
import io.agenthive.task.Task;
import io.agenthive.task.TaskStatus;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The seed hub dashboard's shapes (its {@code /ws} protocol), computed from real state.
 *
 * <ul>
 *   <li>position: stable per agent, from its id: θ = 2π·u₁, r = 100·√u₂ with u₁, u₂ ∈ [0,1) the
 *       id's two halves, so agents spread evenly over a disc of radius 100;
 *   <li>energy: 100 × the agent's success rate (100 before its first task); total = Σ;
 *   <li>swarm_center: mean position; swarm_cohesion: 1 / (1 + mean pairwise distance / 100) (the
 *       seed's formula; over at most 500 agents);
 *   <li>learning_progress: min(Σ experience / (agents × 100), 1) (the seed's formula);
 *   <li>average_performance: mean proficiency over all capabilities.
 * </ul>
 *
 * States and statuses use the seed's names (Idle, Working, Inactive for paused or retired, Failed;
 * Pending, Assigned, InProgress, Completed, Failed, Cancelled); priority is 1–10 (low 2, medium 5,
 * high 7, critical 9). The hub does not model social connections: always 0.
 */
public final class DashboardFormat {
  private static final int COHESION_SAMPLE = 500;

  private DashboardFormat() {}

  public static double[] position(String agentId) {
    double u1;
    double u2;
    try {
      UUID id = UUID.fromString(agentId);
      u1 = (id.getMostSignificantBits() >>> 11) * 0x1.0p-53;
      u2 = (id.getLeastSignificantBits() >>> 11) * 0x1.0p-53;
    } catch (IllegalArgumentException e) {
      u1 = (agentId.hashCode() & 0xffff) / 65536.0;
      u2 = ((agentId.hashCode() >>> 16) & 0xffff) / 65536.0;
    }
    double theta = 2 * Math.PI * u1;
    double r = 100 * Math.sqrt(u2);
    return new double[] {r * Math.cos(theta), r * Math.sin(theta)};
  }

  static double energy(AgentView a) {
    long runs = a.tasksCompleted() + a.tasksFailed();
    return runs == 0 ? 100.0 : 100.0 * a.tasksCompleted() / runs;
  }

  static String state(AgentState s) {
    return switch (s) {
      case IDLE -> "Idle";
      case WORKING -> "Working";
      case FAILED -> "Failed";
      case PAUSED, RETIRED, DISCONNECTED, DEGRADED -> "Inactive";
    };
  }

  static String status(TaskStatus s) {
    return switch (s) {
      case PENDING -> "Pending";
      case ASSIGNED -> "Assigned";
      case RUNNING -> "InProgress";
      case COMPLETED -> "Completed";
      case FAILED -> "Failed";
      case CANCELLED -> "Cancelled";
      case BLOCKED -> "Blocked";
      case SCHEDULED -> "Scheduled";
      case WAITING_FOR_APPROVAL -> "WaitingForApproval";
      case WAITING -> "Waiting";
      case EXPIRED -> "Expired";
      case REJECTED -> "Rejected";
    };
  }

  static int priority(Priority p) {
    return switch (p) {
      case LOW -> 2;
      case MEDIUM -> 5;
      case HIGH -> 7;
      case CRITICAL -> 9;
    };
  }

  /**
   * The seed dashboard's spelling of an agent type, which picks its colours and icons: {@code
   * Worker}, {@code Coordinator}, {@code Learner}, {@code Specialist:<name>}. REST keeps ours.
   */
  static String seedType(String type) {
    if (type == null || type.isEmpty()) {
      return "Worker";
    }
    if (type.startsWith("specialist:")) {
      return "Specialist:" + type.substring("specialist:".length());
    }
    return Character.toUpperCase(type.charAt(0)) + type.substring(1);
  }

  static ObjectNode agent(AgentView a) {
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("id", a.id())
        .put("name", a.name())
        .put("type", seedType(a.type()))
        .put("state", state(a.state()));
    ArrayNode caps = n.putArray("capabilities");
    for (Capability c : a.capabilities()) {
      caps.addObject()
          .put("name", c.name())
          .put("proficiency", c.proficiency())
          .put("learning_rate", c.learningRate());
    }
    double[] p = position(a.id());
    n.putArray("position").add(p[0]).add(p[1]);
    n.put("energy", energy(a))
        .put("experience_count", a.experienceCount())
        .put("social_connections", 0);
    return n;
  }

  static ObjectNode task(Task t) {
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("id", t.id())
        .put(
            "description",
            t.spec().description().isEmpty() ? t.spec().title() : t.spec().description())
        .put("type", t.spec().type())
        .put("priority", priority(t.spec().priority()))
        .put("status", status(t.status()))
        .put("assigned_agent", t.assignedAgent())
        .put("created_at", String.valueOf(t.createdAt()))
        .put("completed_at", t.completedAt() == null ? null : t.completedAt().toString());
    ArrayNode reqs = n.putArray("required_capabilities");
    t.spec()
        .requiredCapabilities()
        .forEach(
            rc ->
                reqs.addObject()
                    .put("name", rc.name())
                    .put("min_proficiency", rc.minimumProficiency())
                    .put("weight", 1.0));
    return n;
  }

  /** {@code {metrics, swarm_center, total_energy}}: the data of a metrics_update. */
  static ObjectNode metrics(List<AgentView> all, long completed, long failed) {
    List<AgentView> agents = all.stream().filter(a -> a.state() != AgentState.RETIRED).toList();
    ObjectNode m = Json.MAPPER.createObjectNode();
    m.put("total_agents", agents.size())
        .put("active_agents", agents.stream().filter(a -> a.state() == AgentState.WORKING).count())
        .put("completed_tasks", completed)
        .put("failed_tasks", failed)
        .put(
            "average_performance",
            agents.stream()
                .flatMap(a -> a.capabilities().stream())
                .mapToDouble(Capability::proficiency)
                .average()
                .orElse(0.0))
        .put("swarm_cohesion", cohesion(agents))
        .put(
            "learning_progress",
            agents.isEmpty()
                ? 0.0
                : Math.min(
                    1.0,
                    agents.stream().mapToLong(AgentView::experienceCount).sum()
                        / (agents.size() * 100.0)));
    double cx = 0;
    double cy = 0;
    for (AgentView a : agents) {
      double[] p = position(a.id());
      cx += p[0] / agents.size();
      cy += p[1] / agents.size();
    }
    ObjectNode data = Json.MAPPER.createObjectNode();
    data.set("metrics", m);
    data.putArray("swarm_center").add(cx).add(cy);
    data.put("total_energy", agents.stream().mapToDouble(DashboardFormat::energy).sum());
    return data;
  }

  private static double cohesion(List<AgentView> agents) {
    List<AgentView> sample = agents.subList(0, Math.min(COHESION_SAMPLE, agents.size()));
    if (sample.size() < 2) {
      return 1.0;
    }
    double sum = 0;
    long pairs = 0;
    for (int i = 0; i < sample.size(); i++) {
      double[] a = position(sample.get(i).id());
      for (int j = i + 1; j < sample.size(); j++) {
        double[] b = position(sample.get(j).id());
        sum += Math.hypot(a[0] - b[0], a[1] - b[1]);
        pairs++;
      }
    }
    return 1.0 / (1.0 + (sum / pairs) / 100.0);
  }

  /** The envelope every server message has. */
  static String envelope(String type, Object data, String correlationId) {
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("message_type", type);
    n.set("data", Json.MAPPER.valueToTree(data));
    n.put("timestamp", Instant.now().toString());
    n.put("correlation_id", correlationId);
    return n.toString();
  }
}
