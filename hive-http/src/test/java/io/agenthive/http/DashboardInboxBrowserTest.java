package io.agenthive.http;

import static io.agenthive.http.BrowserSession.testId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
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
  static final ObjectMapper JSON = ApprovalWorkflows.JSON;
  static final String APPROVER = "dash-approver";
  static final String LOOKER = "dash-looker";

  /** How soon a new approval must show without a reload: the feed, not the 10 s poll. */
  static final long LIVE_WITHIN_MS = 6000;

  static ApprovalWorkflows api() {
    return new ApprovalWorkflows(hub.http, CAPABILITY);
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

  static By inboxItem(String taskId) {
    return By.cssSelector("[data-testid='inbox-item'][data-task-id='" + taskId + "']");
  }

  @Test
  @Order(1)
  void anApprovalAppearsLiveInTheInboxAndApprovingItThereLetsTheWorkflowFinish() throws Exception {
    api().user(APPROVER, "operator", PASSWORD);
    api().user(LOOKER, "viewer", PASSWORD);
    agent("inbox-writer", 0.9);
    signInAs(APPROVER);
    go("#/inbox");
    browser.until("an empty Inbox", d -> visible(testId("inbox-empty")));

    Map<String, String> ids =
        api()
            .workflow(
                "inbox-publish",
                api().work("draft"),
                api().review("draft", APPROVER),
                api().work("publish", "review"));
    String review = ids.get("review");
    api().awaitStatus(review, "waiting_for_approval");
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
        api()
            .workflow(
                "inbox-waiting",
                api().work("draft"),
                api().review("draft", APPROVER),
                gate,
                api().work("publish", "review", "gate"));
    api().awaitStatus(ids.get("review"), "waiting_for_approval");
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
    api().awaitStatus(id, "waiting_for_approval");
    hub.http.getUntil("/api/approvals", r -> r.body().contains(id), "the approval open and listed");

    signInAs(LOOKER);
    go("#/inbox");
    browser.until("nothing to decide", d -> visible(testId("inbox-empty")));
    assertEquals(0, browser.all(testId("inbox-item")).size());
    assertTrue(!visible(testId("inbox-count")), "no badge for a viewer with nothing to decide");
    assertTrue(text(testId("inbox-total")).startsWith("0 open for you to decide"));

    // the decision controls, pressed by someone the approval does not name: the 403 in words
    browser.js(
        "return import('/dashboard/decision.js').then(m => document.getElementById('view')"
            + ".append(m.decisionForm({ id: arguments[0] })))",
        id);
    browser.find(testId("decision-approve")).click();
    String refused =
        browser.until(
            "the refusal",
            d ->
                visible(testId("decision-outcome"))
                    ? d.findElement(testId("decision-outcome")).getText()
                    : null);
    assertTrue(refused.startsWith("You may not decide this approval"), refused);
    assertTrue(!browser.find(testId("decision-approve")).isEnabled(), "refused for good: no retry");
  }

  /** The refusal the last test asks for on purpose. */
  @Override
  List<Pattern> expectedErrors() {
    return Stream.concat(
            EXPECTED.stream(),
            Stream.of(Pattern.compile("/decision - Failed to load resource: .* status of 403")))
        .toList();
  }
}
