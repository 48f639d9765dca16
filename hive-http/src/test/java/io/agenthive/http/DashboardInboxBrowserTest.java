package io.agenthive.http;

import static io.agenthive.http.BrowserSession.testId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * People in the loop on the dashboard, in headless Chromium against a real hub (see {@link
 * DashboardBrowserBase}): an approval naming the signed-in user appears live in their Inbox, is
 * approved there with a comment and its workflow completes; a workflow's view shows its steps
 * waiting for approval (decided inline) and for a signal; a viewer the approval does not name has
 * nothing to decide.
 */
class DashboardInboxBrowserTest extends DashboardBrowserBase {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String APPROVER = "dash-approver";
  static final String LOOKER = "dash-looker";

  /** How soon a new approval must show without a reload: the feed, not the 10 s poll. */
  static final long LIVE_WITHIN_MS = 6000;

  static void user(String name, String role) throws Exception {
    var r =
        hub.http.post(
            "/api/users",
            "{\"username\": \""
                + name
                + "\", \"password\": \""
                + PASSWORD
                + "\", \"role\": \""
                + role
                + "\"}");
    assertEquals(201, r.status(), r.body());
  }

  /** Signs out whoever is signed in (no reload) and signs in as {@code username}. */
  static void signInAs(String username) {
    if (!Boolean.TRUE.equals(browser.js("return !!document.getElementById('app')"))) {
      browser.driver().get(hub.http.base() + "/");
    }
    browser.until(
        "the login screen or the app",
        d -> visible(By.id("app")) || visible(testId("login-screen")));
    if (visible(By.id("app"))) {
      browser.find(testId("logout")).click();
      browser.until("the login screen", d -> visible(testId("login-screen")));
    }
    if (visible(testId("login-key"))) {
      browser.find(testId("login-mode")).click();
    }
    type(testId("login-username"), username);
    type(testId("login-password"), PASSWORD);
    browser.find(testId("login-submit")).click();
    browser.until(
        "signed in as " + username,
        d ->
            visible(By.id("app")) && username.equals(d.findElement(testId("user-name")).getText()));
    browser.until(
        "the live feed",
        d -> "live".equals(d.findElement(testId("live-status")).getAttribute("data-state")));
  }

  static ObjectNode work(String name, String... dependsOn) {
    ObjectNode s = JSON.createObjectNode().put("name", name).put("title", "step " + name);
    s.put("max_attempts", 10);
    s.putArray("required_capabilities").addObject().put("name", CAPABILITY);
    var deps = s.putArray("depends_on");
    for (String d : dependsOn) {
      deps.add(d);
    }
    return s;
  }

  static ObjectNode review(String dependsOn) {
    ObjectNode s = JSON.createObjectNode().put("name", "review").put("kind", "approval");
    s.put("title", "review the draft");
    s.put("prompt", "Publish what {{deps." + dependsOn + "}} drafted? <b>not bold</b>");
    s.putArray("approvers").add("user:" + APPROVER);
    s.putArray("depends_on").add(dependsOn);
    return s;
  }

  /** Submits a workflow over the API: step name → task id, and "workflow" → its id. */
  static Map<String, String> workflow(String name, ObjectNode... steps) throws Exception {
    ObjectNode wf = JSON.createObjectNode().put("name", name);
    for (ObjectNode s : steps) {
      wf.withArray("tasks").add(s);
    }
    var created = hub.http.post("/api/workflows", wf.toString());
    assertEquals(201, created.status(), created.body());
    Map<String, String> ids = new HashMap<>();
    created
        .json()
        .get("tasks")
        .forEach(t -> ids.put(t.get("name").asText(), t.get("task_id").asText()));
    ids.put("workflow", created.json().get("id").asText());
    return ids;
  }

  static void awaitStatus(String taskId, String status) {
    hub.http.getUntil(
        "/api/tasks/" + taskId,
        r -> status.equals(r.json().path("status").asText()),
        "task " + taskId + " " + status);
  }

  static By inboxItem(String taskId) {
    return By.cssSelector("[data-testid='inbox-item'][data-task-id='" + taskId + "']");
  }

  @Test
  @Order(1)
  void anApprovalAppearsLiveInTheInboxAndApprovingItThereLetsTheWorkflowFinish() throws Exception {
    user(APPROVER, "operator");
    user(LOOKER, "viewer");
    agent("inbox-writer", 0.9);
    signInAs(APPROVER);
    go("#/inbox");
    browser.until("an empty Inbox", d -> visible(testId("inbox-empty")));

    Map<String, String> ids =
        workflow("inbox-publish", work("draft"), review("draft"), work("publish", "review"));
    String review = ids.get("review");
    awaitStatus(review, "waiting_for_approval");
    long open = System.nanoTime();
    WebElement item =
        browser.until("the approval in the Inbox", d -> d.findElement(inboxItem(review)));
    long tookMs = (System.nanoTime() - open) / 1_000_000;
    assertTrue(tookMs < LIVE_WITHIN_MS, "shown " + tookMs + " ms after it opened: not live");
    browser.until(
        "the badge counting it", d -> "1".equals(d.findElement(testId("inbox-count")).getText()));
    String prompt = item.findElement(testId("inbox-prompt")).getText();
    assertTrue(prompt.startsWith("Publish what "), prompt);
    assertTrue(prompt.endsWith("<b>not bold</b>"), "the prompt is text, never markup: " + prompt);
    assertEquals(APPROVER, item.findElement(testId("inbox-approvers")).getText());
    assertEquals("review the draft", item.findElement(testId("inbox-title")).getText());
    assertTrue(
        item.findElement(testId("inbox-workflow")).getText().startsWith("step review of workflow"));
    browser.screenshot("inbox");

    item.findElement(testId("decision-comment")).sendKeys("ship it, from the browser");
    item.findElement(testId("decision-approve")).click();
    String said =
        browser.until(
            "the outcome",
            d ->
                visible(testId("inbox-last-outcome"))
                    ? d.findElement(testId("inbox-last-outcome")).getText()
                    : null);
    assertTrue(said.startsWith("Approved “review the draft”"), said);
    browser.until("the decided approval gone", d -> d.findElements(inboxItem(review)).isEmpty());
    browser.until("the badge hidden", d -> !visible(testId("inbox-count")));
    JsonNode decided = hub.http.get("/api/tasks/" + review).json();
    assertEquals(
        "ship it, from the browser",
        decided.at("/result/output/comment").asText(),
        decided.toString());
    assertEquals("user:" + APPROVER, decided.at("/result/output/decided_by").asText());

    go("#/workflows/" + ids.get("workflow"));
    browser.until(
        "the workflow completed",
        d -> "completed".equals(d.findElement(testId("wf-status")).getText()));
    browser.until(
        "publish completed",
        d ->
            d.findElements(
                        By.cssSelector(
                            "[data-testid='wf-step'][data-step='publish'][data-status='completed']"))
                    .size()
                == 1);
  }

  @Test
  @Order(2)
  void aWorkflowShowsItsStepsWaitingForApprovalAndForASignal() throws Exception {
    signInAs(APPROVER);
    ObjectNode gate =
        JSON.createObjectNode().put("name", "gate").put("kind", "wait").put("signal", "go");
    Map<String, String> ids =
        workflow(
            "inbox-waiting",
            work("draft"),
            review("draft"),
            gate,
            work("publish", "review", "gate"));
    awaitStatus(ids.get("review"), "waiting_for_approval");
    go("#/workflows/" + ids.get("workflow"));
    By reviewStep = By.cssSelector("[data-testid='wf-waiting-step'][data-step='review']");
    WebElement waiting =
        browser.until(
            "the review waiting, with the decision",
            d -> {
              WebElement e = d.findElement(reviewStep);
              return e.findElements(testId("decision-approve")).isEmpty() ? null : e;
            });
    assertTrue(waiting.getText().contains("waiting for approval"), waiting.getText());
    String signal =
        browser.until(
            "the gate's signal",
            d ->
                d.findElement(
                        By.cssSelector(
                            "[data-testid='wf-waiting-step'][data-step='gate'] [data-testid='wf-waiting-signal']"))
                    .getText());
    assertTrue(signal.contains("“go”") && signal.contains("/signals/go"), signal);
    browser.screenshot("workflow-waiting");

    waiting.findElement(testId("decision-approve")).click();
    browser.until("the review no longer waiting", d -> d.findElements(reviewStep).isEmpty());
    var sent = hub.http.post("/api/workflows/" + ids.get("workflow") + "/signals/go", "{}");
    assertEquals(200, sent.status(), sent.body());
    browser.until(
        "the workflow completed",
        d -> "completed".equals(d.findElement(testId("wf-status")).getText()));
    browser.until("no step waits", d -> !visible(testId("card-wf-waiting")));
  }

  @Test
  @Order(3)
  void aViewerTheApprovalDoesNotNameHasNothingToDecide() throws Exception {
    var lone =
        hub.http.post(
            "/api/tasks",
            "{\"title\": \"for the approver only\", \"kind\": \"approval\", \"prompt\": \"ok?\","
                + " \"approvers\": [\"user:"
                + APPROVER
                + "\"]}");
    assertEquals(201, lone.status(), lone.body());
    String id = lone.json().get("id").asText();
    awaitStatus(id, "waiting_for_approval");
    hub.http.getUntil("/api/approvals", r -> r.body().contains(id), "the approval open and listed");

    signInAs(LOOKER);
    go("#/inbox");
    browser.until("nothing to decide", d -> visible(testId("inbox-empty")));
    assertEquals(0, browser.all(testId("inbox-item")).size());
    assertTrue(!visible(testId("inbox-count")), "no badge for a viewer with nothing to decide");
    assertTrue(text(testId("inbox-total")).startsWith("0 open for you to decide"));
  }
}
