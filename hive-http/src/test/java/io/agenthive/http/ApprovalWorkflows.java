package io.agenthive.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.Map;

/**
 * The API calls the Inbox's browser test makes beside the page: users, and workflows whose review
 * step is an approval naming one user, submitted over the API as a client would.
 */
final class ApprovalWorkflows {
  static final ObjectMapper JSON = new ObjectMapper();

  private final HttpTestClient http;
  private final String capability;

  ApprovalWorkflows(HttpTestClient http, String capability) {
    this.http = http;
    this.capability = capability;
  }

  void user(String name, String role, String password) throws Exception {
    var r =
        http.post(
            "/api/users",
            "{\"username\": \""
                + name
                + "\", \"password\": \""
                + password
                + "\", \"role\": \""
                + role
                + "\"}");
    assertEquals(201, r.status(), r.body());
  }

  ObjectNode work(String name, String... dependsOn) {
    ObjectNode s = JSON.createObjectNode().put("name", name).put("title", "step " + name);
    s.put("max_attempts", 10);
    s.putArray("required_capabilities").addObject().put("name", capability);
    var deps = s.putArray("depends_on");
    for (String d : dependsOn) {
      deps.add(d);
    }
    return s;
  }

  ObjectNode review(String dependsOn, String approver) {
    ObjectNode s = JSON.createObjectNode().put("name", "review").put("kind", "approval");
    s.put("title", "review the draft");
    s.put("prompt", "Publish what {{deps." + dependsOn + "}} drafted? <b>not bold</b>");
    s.putArray("approvers").add("user:" + approver);
    s.putArray("depends_on").add(dependsOn);
    return s;
  }

  /** Submits a workflow over the API: step name → task id, and "workflow" → its id. */
  Map<String, String> workflow(String name, ObjectNode... steps) throws Exception {
    ObjectNode wf = JSON.createObjectNode().put("name", name);
    for (ObjectNode s : steps) {
      wf.withArray("tasks").add(s);
    }
    var created = http.post("/api/workflows", wf.toString());
    assertEquals(201, created.status(), created.body());
    Map<String, String> ids = new HashMap<>();
    created
        .json()
        .get("tasks")
        .forEach(t -> ids.put(t.get("name").asText(), t.get("task_id").asText()));
    ids.put("workflow", created.json().get("id").asText());
    return ids;
  }

  void awaitStatus(String taskId, String status) {
    http.getUntil(
        "/api/tasks/" + taskId,
        r -> status.equals(r.json().path("status").asText()),
        "task " + taskId + " " + status);
  }
}
