package io.agenthive.mcp;

import static io.agenthive.mcp.HiveTool.Kind.CHANGES;
import static io.agenthive.mcp.HiveTool.Kind.READ_ONLY;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * People in the loop over MCP: the open approvals, a decision, a workflow's signal. Each calls the
 * API as its caller, so an approval decides who may decide it, exactly as over REST.
 */
final class HumanTools {
  private HumanTools() {}

  static List<HiveTool> all() {
    return List.of(
        HiveTool.of(
            "list_approvals",
            "The open approvals, oldest first, each with its prompt (dependencies' outputs filled"
                + " in), approvers and deadline; mine=true (the default) lists only those this"
                + " key may decide.",
            READ_ONLY,
            Schema.object()
                .choice("mine", "true (default) or false", List.of("true", "false"), false),
            call ->
                call.hub()
                    .get(
                        "/api/approvals?mine="
                            + (call.args().has("mine") ? call.args().string("mine") : "true"))),
        HiveTool.of(
            "decide_approval",
            "Approve or reject an open approval, with a comment and optionally an edited output"
                + " that its dependents receive. Only an approver the approval names may decide,"
                + " and only once.",
            CHANGES,
            Schema.object()
                .string("task_id", "The approval's task id", true)
                .choice("decision", "approve or reject", List.of("approve", "reject"), true)
                .string("comment", "Why (kept in the journal)", false)
                .any("output", "An edited output passed on with the decision", false),
            call -> {
              ObjectNode body = HubApi.JSON.createObjectNode();
              body.put("decision", call.args().requiredString("decision"));
              SeedTools.copy(call.args(), body, "comment", "output");
              return call.hub().post("/api/tasks/" + call.args().id("task_id") + "/decision", body);
            }),
        HiveTool.of(
            "signal_workflow",
            "Send a named signal to a workflow: each of its steps that waits for it ends with the"
                + " payload as its output. Needs an operator key.",
            CHANGES,
            Schema.object()
                .string("workflow_id", "The workflow's id", true)
                .string("signal", "The signal's name", true)
                .any("payload", "Any JSON; the waiting step's output (default {})", false),
            call -> {
              var payload = call.args().raw("payload");
              return call.hub()
                  .post(
                      "/api/workflows/"
                          + call.args().id("workflow_id")
                          + "/signals/"
                          + call.args().id("signal"),
                      payload == null || payload.isNull()
                          ? HubApi.JSON.createObjectNode()
                          : payload);
            }));
  }
}
