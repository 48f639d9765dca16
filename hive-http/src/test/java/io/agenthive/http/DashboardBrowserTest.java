package io.agenthive.http;

import static io.agenthive.http.BrowserSession.testId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The dashboard in headless Chromium against a real hub: sign-in, live updates from the event feed,
 * an agent's detail, the task form and its field errors (see {@link DashboardBrowserBase}).
 */
class DashboardBrowserTest extends DashboardBrowserBase {
  @Test
  @Order(1)
  void signsInThroughTheFormAndAWrongPasswordShowsAnError() {
    browser.driver().get(hub.http.base() + "/");
    browser.until("the login screen", d -> visible(testId("login-screen")));
    assertFalse(visible(By.id("app")), "nothing but the login screen before signing in");

    type(testId("login-username"), ADMIN);
    type(testId("login-password"), "not the password");
    browser.find(testId("login-submit")).click();
    String error =
        browser.until(
            "the login error",
            d ->
                visible(testId("login-error"))
                    ? d.findElement(testId("login-error")).getText()
                    : null);
    assertEquals("Wrong username or password.", error);
    assertFalse(visible(By.id("app")));

    type(testId("login-password"), PASSWORD);
    browser.find(testId("login-submit")).click();
    browser.until("the app", d -> visible(By.id("app")));
    assertEquals(ADMIN, text(testId("user-name")));
    assertEquals("admin", text(testId("user-role")));
    String stored = browser.js("return sessionStorage.getItem('agenthive.session')");
    assertNotNull(stored, "the session is kept in sessionStorage");
    assertTrue(stored.contains("refreshToken"), stored);
    browser.until(
        "the live feed",
        d -> "live".equals(d.findElement(testId("live-status")).getAttribute("data-state")));
  }

  @Test
  @Order(2)
  void anApiKeySignsInTooAndSigningOutEndsTheSession() {
    signedIn();
    browser.find(testId("logout")).click();
    browser.until("the login screen after signing out", d -> visible(testId("login-screen")));
    assertNull(browser.js("return sessionStorage.getItem('agenthive.session')"));

    browser.find(testId("login-mode")).click();
    type(testId("login-key"), hub.adminKey);
    browser.find(testId("login-submit")).click();
    browser.until("the app", d -> visible(By.id("app")));
    assertEquals("admin", text(testId("user-role")));

    browser.find(testId("logout")).click();
    browser.until("the login screen", d -> visible(testId("login-screen")));
    signedIn(); // back to the password session for the tests after this one
  }

  @Test
  @Order(3)
  void agentsCreatedOverTheApiAppearWithoutAReload() throws Exception {
    signedIn();
    go("#/agents");
    browser.until(
        "the agents view", d -> visible(testId("agents-table")) || visible(testId("agents-empty")));
    browser.js("window.noReloadMarker = 'still here'");

    String first = agent("live-alpha", 0.9);
    String second = agent("live-beta", 0.8);
    for (String id : List.of(first, second)) {
      browser.until(
          "agent " + id + " in the list",
          d ->
              !d.findElements(
                      By.cssSelector("[data-testid='agent-row'][data-agent-id='" + id + "']"))
                  .isEmpty());
    }
    assertEquals(
        "still here", browser.js("return window.noReloadMarker"), "the page never reloaded");
    WebElement row =
        browser.find(By.cssSelector("[data-testid='agent-row'][data-agent-id='" + first + "']"));
    assertTrue(row.getText().contains(CAPABILITY), row.getText());
    assertTrue(row.getText().contains("0.90") || row.getText().contains("0.9"), row.getText());

    // sorted by name when its heading is clicked, then the other way
    browser.find(testId("agents-sort-name")).click();
    browser.until("A to Z", d -> isSorted(agentNames(), true));
    browser.find(testId("agents-sort-name")).click();
    browser.until("Z to A", d -> isSorted(agentNames(), false));
    assertEquals("desc", browser.find(testId("agents-sort-name")).getAttribute("data-sorted"));
  }

  private static List<String> agentNames() {
    return browser.js(
        "return [...document.querySelectorAll(\"[data-testid='agent-row']\")]"
            + ".map(r => r.dataset.agentName.toLowerCase())");
  }

  private static boolean isSorted(List<String> names, boolean up) {
    List<String> want = new java.util.ArrayList<>(names);
    want.sort(up ? java.util.Comparator.naturalOrder() : java.util.Comparator.reverseOrder());
    return names.size() > 1 && names.equals(want);
  }

  /**
   * The live feed sends its token in a header: a URL the browser may print (a dropped stream's
   * console line, the network log) holds none. Tokens live 12 s here, so streams end and are
   * reopened while the test waits; a finished one is listed among the page's resources.
   */
  @Test
  @Order(4)
  void noUrlThePageAsksForHoldsTheToken() {
    signedIn();
    browser.js("performance.setResourceTimingBufferSize(5000); performance.clearResourceTimings()");
    browser.until(
        "a finished event stream among the page's requests",
        d ->
            (Boolean)
                browser.js(
                    "return performance.getEntriesByType('resource')"
                        + ".some(e => e.name.includes('/api/events'))"));
    List<String> withToken =
        browser.js(
            "return performance.getEntriesByType('resource').map(e => e.name)"
                + ".filter(n => /access_token|[?&]token=/.test(n))");
    assertEquals(List.of(), withToken, "request URLs with a credential in them");
    // the page splits the stream into events itself: chunks cut anywhere, CRLF, keep-alives
    List<String> events =
        browser.js(
            "return import('/dashboard/live.js').then(l => { const out = [];"
                + " const p = new l.SseParser(d => out.push(d));"
                + " const text = ':\\r\\n\\r\\nid: 5\\r\\ndata: {\\\"offset\\\": 5}\\r\\n\\r\\n"
                + "event: x\\ndata: a\\ndata:b\\n\\n\\ndata: c\\r\\rdata: cut off';"
                + " for (let i = 0; i < text.length; i += 3) p.push(text.slice(i, i + 3));"
                + " return out; })");
    assertEquals(List.of("{\"offset\": 5}", "a\nb", "c"), events);
    browser.until(
        "the feed live again with its new token",
        d -> "live".equals(d.findElement(testId("live-status")).getAttribute("data-state")));
  }

  @Test
  @Order(5)
  void theOverviewFollowsTheFeed() throws Exception {
    signedIn();
    agent("overview-worker", 0.95);
    go("#/overview");
    int before = Integer.parseInt(text(By.cssSelector("[data-testid='kpi-completed'] .v")));
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      ids.add(task("overview task " + i).get("id").asText());
    }
    ids.forEach(DashboardBrowserTest::completed);
    browser.until(
        "six more completed tasks on the overview",
        d ->
            Integer.parseInt(
                    d.findElement(By.cssSelector("[data-testid='kpi-completed'] .v")).getText())
                >= before + 6);
    browser.until(
        "wait and run times drawn",
        d -> d.findElements(By.cssSelector("#chart-timing circle")).size() >= 12);
    browser.until(
        "timing percentiles", d -> d.findElement(testId("timing-stats")).getText().contains("p95"));
    browser.until(
        "finished tasks in the recent list",
        d -> d.findElements(testId("recent-task-row")).size() >= 6);
    browser.screenshot("overview");
  }

  @Test
  @Order(6)
  void anAgentsDetailShowsItsLearningCurveAndHistory() throws Exception {
    signedIn();
    // a capability only this agent has: the task goes to it, and it learns from the attempt
    var agent =
        hub.http.post(
            "/api/agents",
            "{\"name\": \"learner\", \"type\": \"worker\", \"capabilities\":"
                + " [{\"name\": \"learner.only\", \"proficiency\": 0.7, \"learning_rate\": 0.2}]}");
    assertEquals(201, agent.status(), agent.body());
    String id = agent.json().get("id").asText();
    var task =
        hub.http.post(
            "/api/tasks",
            "{\"title\": \"teach the learner\", \"max_attempts\": 20,"
                + " \"required_capabilities\": [{\"name\": \"learner.only\"}]}");
    assertEquals(201, task.status(), task.body());
    completed(task.json().get("id").asText());
    // the task's end reaches its read table and the matcher (which answers for the agent) on
    // separate paths, so the task can read completed a moment before the agent counts it. (Not
    // "proficiency differs from 0.7": two failed attempts and a success take it back to 0.7.)
    JsonNode learned =
        hub.http
            .getUntil(
                "/api/agents/" + id,
                r -> r.json().at("/stats/tasks_completed").asLong() == 1,
                "the agent to have counted its completed attempt")
            .json();

    go("#/agents/" + id);
    browser.until(
        "the agent's name", d -> "learner".equals(d.findElement(testId("agent-name")).getText()));
    String shown =
        String.format(Locale.ROOT, "%.3f", learned.at("/capabilities/0/proficiency").asDouble());
    browser.until(
        "its proficiency " + shown,
        d ->
            d.findElement(
                    By.cssSelector(
                        "[data-testid='capability-row'][data-capability='learner.only']"))
                .getText()
                .contains(shown));
    // registration, then one step per attempt that taught it something
    browser.until(
        "a learning curve with its steps",
        d -> d.findElements(By.cssSelector("#learning-curve circle")).size() >= 2);
    browser.until(
        "its registration and its attempt in the history",
        d ->
            d.findElements(
                            By.cssSelector(
                                "[data-testid='agent-history-item'][data-type='AgentRegistered']"))
                        .size()
                    == 1
                && !d.findElements(
                        By.cssSelector(
                            "[data-testid='agent-history-item'][data-type='TaskCompleted']"))
                    .isEmpty());
  }

  @Test
  @Order(7)
  void aTaskSubmittedFromTheFormCompletesOnScreen() throws Exception {
    signedIn();
    agent("form-worker", 0.95);
    go("#/new-task");
    type(testId("field-title"), "submitted in the browser");
    new Select(browser.find(testId("field-priority"))).selectByValue("high");
    type(testId("field-required_capabilities[0].name"), CAPABILITY);
    type(testId("field-required_capabilities[0].minimum_proficiency"), "0.5");
    // the deadline typed in 24-hour local time: a day from now, to the second
    assertEquals("text", browser.find(testId("field-deadline")).getAttribute("type"));
    List<String> deadline =
        browser.js(
            "const d = new Date(Math.floor(Date.now() / 1000) * 1000 + 86400000);"
                + "const p = n => String(n).padStart(2, '0');"
                + "return [`${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} "
                + "${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`, d.toISOString()];");
    type(testId("field-deadline"), "tomorrow at 5 PM");
    browser.find(testId("task-submit")).click();
    String refused =
        browser.until(
            "the deadline's own message",
            d ->
                visible(testId("error-deadline"))
                    ? d.findElement(testId("error-deadline")).getText()
                    : null);
    assertTrue(refused.contains("YYYY-MM-DD HH:MM:SS"), refused);
    assertEquals("#/new-task", browser.js("return location.hash"), "nothing sent");
    type(testId("field-deadline"), deadline.get(0));
    browser.find(testId("task-submit")).click();
    String hash =
        browser.until(
            "the new task's page",
            d -> {
              String h = browser.js("return location.hash");
              return h.startsWith("#/tasks/") ? h : null;
            });
    String id = hash.substring("#/tasks/".length());
    JsonNode submitted = hub.http.get("/api/tasks/" + id).json();
    assertEquals("high", submitted.get("priority").asText());
    assertEquals(Instant.parse(deadline.get(1)), Instant.parse(submitted.get("deadline").asText()));
    browser.until(
        "the task to complete on screen",
        d -> "completed".equals(d.findElement(testId("task-status")).getText()));
    assertTrue(text(testId("task-title")).contains("submitted in the browser"));
    assertTrue(text(testId("task-output")).contains("simulated"), "the result's output shows");
  }

  @Test
  @Order(8)
  void aBadFieldShowsTheHubsErrorNextToThatField() throws Exception {
    signedIn();
    go("#/new-task");
    type(testId("field-title"), "a bad one");
    type(testId("field-max_attempts"), "0");
    type(testId("field-required_capabilities[0].name"), CAPABILITY);
    type(testId("field-required_capabilities[0].minimum_proficiency"), "1.5");
    browser.find(testId("task-submit")).click();
    String message =
        browser.until(
            "the max_attempts error",
            d ->
                visible(testId("error-max_attempts"))
                    ? d.findElement(testId("error-max_attempts")).getText()
                    : null);
    assertEquals("must be between 1 and 100", message);
    assertEquals(
        "must be between 0 and 1",
        text(testId("error-required_capabilities[0].minimum_proficiency")));
    // next to its field: in the same labelled box as the input
    WebElement box = browser.find(By.cssSelector(".field[data-field='max_attempts']"));
    assertEquals(1, box.findElements(testId("field-max_attempts")).size());
    assertEquals(1, box.findElements(testId("error-max_attempts")).size());
    assertTrue(box.getAttribute("class").contains("invalid"));
    assertFalse(visible(testId("error-title")), "a good field shows no error");
    assertEquals("#/new-task", browser.js("return location.hash"), "the form stays");
  }

  /** An admin reads who did something by the key's name, not only its id. */
  @Test
  @Order(9)
  void anActionByAKeyIsCreditedToTheKeysName() throws Exception {
    signedIn();
    var made = hub.http.post("/api/keys", "{\"name\": \"ci-bot\", \"role\": \"operator\"}");
    assertEquals(201, made.status(), made.body());
    String keyId = made.json().get("id").asText();
    var task =
        hub.http
            .as(made.json().get("key").asText())
            .post(
                "/api/tasks",
                "{\"title\": \"sent by a bot\", \"required_capabilities\": [{\"name\":"
                    + " \"nobody.has.this\"}]}");
    assertEquals(201, task.status(), task.body());
    go("#/tasks/" + task.json().get("id").asText());
    String credited = "by ci-bot (key " + keyId + ")";
    browser.until(
        "the submission credited to ci-bot",
        d -> d.findElement(testId("task-facts")).getText().contains(credited));
    browser.until(
        "its history says so too",
        d -> d.findElement(testId("task-history")).getText().contains(credited));
  }
}
