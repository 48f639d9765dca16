package io.agenthive.http;

import static io.agenthive.http.BrowserSession.testId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;

/**
 * The dashboard's task views, time travel, a phone layout and token refresh, in headless Chromium
 * against a real hub (see {@link DashboardBrowserBase}).
 */
class DashboardTaskViewsBrowserTest extends DashboardBrowserBase {
  static final Pattern LOCAL_SECOND = Pattern.compile("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}");

  @Test
  @Order(8)
  void aTasksExplanationAndHistoryShow() throws Exception {
    signedIn();
    agent("explain-a", 0.7);
    agent("explain-b", 0.95);
    String id = task("explain me").get("id").asText();
    completed(id);
    JsonNode explain = hub.http.get("/api/tasks/" + id + "/explain").json();
    JsonNode history = hub.http.get("/api/tasks/" + id + "/history").json();
    go("#/tasks/" + id);
    browser.until(
        "the task's status",
        d -> "completed".equals(d.findElement(testId("task-status")).getText()));
    browser.until(
        "every attempt explained",
        d -> d.findElements(testId("explain-attempt")).size() == explain.get("attempts").size());

    JsonNode last = explain.get("attempts").get(explain.get("attempts").size() - 1);
    Set<String> expected = new HashSet<>();
    last.at("/reason/candidates").forEach(c -> expected.add(c.get("agent_id").asText()));
    // read in one go: the view redraws when the names of the candidates arrive
    Map<String, Object> shown =
        browser.js(
            "const all = document.querySelectorAll(\"[data-testid='explain-attempt']\");"
                + "const last = all[all.length - 1];"
                + "const rows = [...last.querySelectorAll(\"[data-testid='candidate-row']\")];"
                + "const win = last.querySelector(\"[data-testid='candidate-row'][data-winner='true']\");"
                + "const badge = win && win.querySelector(\"[data-testid='winner-badge']\");"
                + "return {candidates: rows.map(r => r.dataset.agentId), winner: win && win.dataset.agentId,"
                + " winnerText: win && win.innerText, badge: badge && badge.innerText, text: last.innerText};");
    assertEquals(
        expected,
        new HashSet<>((List<?>) shown.get("candidates")),
        "the candidates the hub weighed");
    assertEquals(last.at("/reason/winner").asText(), shown.get("winner"));
    assertEquals("winner", shown.get("badge"));
    String score = String.format(Locale.ROOT, "%.3f", last.at("/reason/winner_score").asDouble());
    assertTrue(
        ((String) shown.get("winnerText")).contains(score),
        shown.get("winnerText") + " shows score " + score);
    assertTrue(
        ((String) shown.get("text")).contains(last.at("/reason/policy").asText()),
        "the policy is named");

    List<String> types = new ArrayList<>();
    history.get("events").forEach(e -> types.add(e.get("type").asText()));
    List<String> onScreen =
        browser.until(
            "the history",
            d -> {
              List<String> t =
                  d.findElements(testId("history-item")).stream()
                      .map(e -> e.getAttribute("data-type"))
                      .toList();
              return t.size() == types.size() ? t : null;
            });
    assertEquals(types, onScreen);
    assertEquals("TaskSubmitted", onScreen.get(0));
    assertEquals("TaskCompleted", onScreen.get(onScreen.size() - 1));
    browser.js("document.getElementById('task-explanation').scrollIntoView({block: 'center'})");
    browser.screenshot("explanation");
  }

  @Test
  @Order(9)
  void timeTravelShowsTheHiveBeforeLaterAgentsExisted() throws Exception {
    signedIn();
    agent("tt-early", 0.8);
    Instant then = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    agent("tt-late-1", 0.8);
    agent("tt-late-2", 0.8);
    int agentsThen = hub.http.get("/api/hive/state?at=" + then).json().get("agents").size();
    int agentsNow = hub.http.get("/api/hive/state?at=" + Instant.now()).json().get("agents").size();
    assertTrue(agentsThen + 2 <= agentsNow, agentsThen + " then, " + agentsNow + " now");

    go("#/time-travel");
    browser.until("the time travel form", d -> d.findElement(testId("tt-at")).isDisplayed());
    // a text field in 24-hour local time, whatever the browser's locale would make of a picker
    assertEquals("text", browser.find(testId("tt-at")).getAttribute("type"));
    assertTrue(
        LOCAL_SECOND.matcher(browser.find(testId("tt-at")).getAttribute("value")).matches(),
        browser.find(testId("tt-at")).getAttribute("value"));
    type(testId("tt-at"), "2024-02-30 25:00:00");
    browser.find(testId("tt-go")).click();
    String refused =
        browser.until(
            "the field's own message",
            d -> visible(testId("tt-error")) ? d.findElement(testId("tt-error")).getText() : null);
    assertTrue(refused.contains("YYYY-MM-DD HH:MM:SS"), refused);
    // the instant in the browser's local time, to the millisecond (the field takes a fraction)
    type(
        testId("tt-at"),
        browser.js(
            "const d = new Date(arguments[0]); const p = (n, w = 2) => String(n).padStart(w, '0');"
                + "return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} "
                + "${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}."
                + "${p(d.getMilliseconds(), 3)}`;",
            then.toEpochMilli()));
    browser.find(testId("tt-go")).click();
    browser.until(
        "the state at " + then,
        d -> {
          String at = d.findElement(testId("tt-summary")).getAttribute("data-at");
          return at != null && Instant.parse(at).equals(then);
        });
    assertEquals(String.valueOf(agentsThen), text(testId("tt-agent-count")));
    Set<String> names =
        browser.all(testId("tt-agent-row")).stream()
            .map(r -> r.getAttribute("data-agent-name"))
            .collect(Collectors.toSet());
    assertTrue(names.contains("tt-early"), names.toString());
    assertFalse(names.contains("tt-late-1") || names.contains("tt-late-2"), names.toString());
    browser.screenshot("time-travel");

    assertFalse(visible(testId("tt-error")), "a good instant clears the message");

    browser.find(testId("tt-now")).click();
    browser.until(
        "the state now",
        d -> Integer.parseInt(d.findElement(testId("tt-agent-count")).getText()) >= agentsNow);
    // "Now" shows the instant to the second, 24-hour, in the same local time as the summary
    String now = browser.find(testId("tt-at")).getAttribute("value");
    String expected =
        browser.js(
            "const d = new Date(arguments[0]); const p = n => String(n).padStart(2, '0');"
                + "return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} "
                + "${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;",
            browser.find(testId("tt-summary")).getAttribute("data-at"));
    assertEquals(expected, now);
    assertTrue(
        browser.all(testId("tt-agent-row")).stream()
            .anyMatch(r -> "tt-late-2".equals(r.getAttribute("data-agent-name"))));
  }

  @Test
  @Order(10)
  void theLayoutWorksAtPhoneWidth() throws Exception {
    signedIn();
    Dimension desktop = browser.driver().manage().window().getSize();
    try {
      browser.driver().manage().window().setSize(new Dimension(390, 844));
      browser.until(
          "a phone-width viewport",
          d -> ((Number) browser.js("return window.innerWidth")).intValue() <= 400);
      go("#/overview");
      browser.until("the overview", d -> d.findElement(testId("kpi-agents")).isDisplayed());
      assertNoHorizontalOverflow("overview");
      assertFalse(visible(testId("nav-tasks")), "the nav is folded away");
      browser.find(testId("nav-toggle")).click();
      browser.until("the unfolded nav", d -> visible(testId("nav-tasks")));
      browser.find(testId("nav-tasks")).click();
      browser.until("the tasks list", d -> visible(testId("tasks-table")));
      assertFalse(visible(testId("nav-tasks")), "the nav folds again after choosing");
      assertNoHorizontalOverflow("tasks");
      go("#/new-agent");
      browser.until("the agent form", d -> visible(testId("agent-form")));
      assertNoHorizontalOverflow("agent form");
      browser.screenshot("phone");
    } finally {
      browser.driver().manage().window().setSize(desktop);
    }
  }

  private static void assertNoHorizontalOverflow(String where) {
    List<Number> widths =
        browser.js(
            "return [document.documentElement.scrollWidth, document.body.scrollWidth,"
                + " document.documentElement.clientWidth]");
    assertTrue(
        widths.get(0).intValue() <= widths.get(2).intValue()
            && widths.get(1).intValue() <= widths.get(2).intValue(),
        where
            + ": page "
            + widths.get(0)
            + " / body "
            + widths.get(1)
            + " wider than the viewport "
            + widths.get(2));
  }

  @Test
  @Order(11)
  void theTokenIsRefreshedBeforeItExpires() throws Exception {
    signedIn();
    String token =
        browser.js("return JSON.parse(sessionStorage.getItem('agenthive.session')).token");
    browser.until(
        "a refreshed token",
        d ->
            !token.equals(
                browser.js(
                    "return JSON.parse(sessionStorage.getItem('agenthive.session')).token")));
    // ... and the page goes on working with it, past the old token's end
    go("#/agents");
    String id = agent("after-refresh", 0.6);
    browser.until(
        "the agent registered after the refresh",
        d ->
            !d.findElements(By.cssSelector("[data-testid='agent-row'][data-agent-id='" + id + "']"))
                .isEmpty());
    assertTrue(visible(By.id("app")), "still signed in");
  }

  @Test
  @Order(12)
  void aTaskNoAgentCanTakeSaysItCanNeverRun() throws Exception {
    signedIn();
    var r =
        hub.http.post(
            "/api/tasks",
            "{\"title\": \"orphan\", \"required_capabilities\": [{\"name\": \"nobody.has.this\","
                + " \"minimum_proficiency\": 0.5}]}");
    assertEquals(201, r.status(), r.body());
    String id = r.json().get("id").asText();
    hub.http.getUntil(
        "/api/tasks/" + id,
        t -> "no_agent_qualifies".equals(t.json().path("waiting_reason").asText()),
        "the matcher's reason");
    go("#/tasks/" + id);
    String said =
        browser.until(
            "the reason on the task's page",
            d -> {
              var none = d.findElements(testId("explain-none"));
              return none.isEmpty()
                      || !"no_agent_qualifies".equals(none.get(0).getAttribute("data-reason"))
                  ? null
                  : none.get(0).getText();
            });
    assertTrue(said.contains("can never run"), said);
    go("#/");
    browser.until(
        "the overview counts it",
        d ->
            !d.findElements(testId("kpi-never")).isEmpty()
                && d.findElement(testId("kpi-never")).getText().startsWith("1"));
    assertEquals(200, hub.http.post("/api/tasks/" + id + "/cancel", "{}").status());
  }

  /** One duration formatter: rounded once, so no "60 s" and no "1 min 60 s". */
  @Test
  @Order(13)
  void durationsAreRoundedBeforeTheyAreSplit() {
    signedIn();
    List<String> shown =
        browser.js(
            "return import('/dashboard/util.js').then(u =>"
                + " [999.6, 9960, 59600, 119700, 3599999, 7140000].map(u.fmtDur))");
    assertEquals(
        List.of("1.0 s", "10 s", "1 min 0 s", "2 min 0 s", "1 h 0 min", "1 h 59 min"), shown);
  }

  /** A short id tells a dataset task's chunks apart (their first 8 characters are all alike). */
  @Test
  @Order(14)
  void chunksOfOneTaskHaveShortIdsOfTheirOwn() {
    signedIn();
    String task = "1a2b3c4d-1111-2222-3333-444455556666";
    List<String> shown =
        browser.js(
            "return import('/dashboard/util.js').then(u => ['"
                + task
                + "', '"
                + task
                + "-chunk-3', '"
                + task
                + "-chunk-12'].map(u.shortId))");
    assertEquals(List.of("1a2b3c4d", "1a2b3c4d…#3", "1a2b3c4d…#12"), shown);
  }
}
