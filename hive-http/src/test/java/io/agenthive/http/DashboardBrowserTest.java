package io.agenthive.http;

import static io.agenthive.http.BrowserSession.testId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.support.ui.Select;

/**
 * The dashboard in headless Chromium against a real hub: sign-in, live updates from the event feed,
 * the task form and its field errors, a task's explanation and history, time travel, a phone
 * layout, and a console without errors (CSP violations included). Access tokens live 12 s here, so
 * the page refreshes its token several times while the tests run.
 */
@Tag("needs-tools")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserTest {
  static final String ADMIN = "dash-admin";
  static final String PASSWORD = "correct horse battery";
  static final String CAPABILITY = "browser.code";

  @TempDir static Path dataDir;
  @RegisterExtension static final BrowserSession browser = new BrowserSession();
  static ApiTestHub hub;

  @BeforeAll
  static void start() throws Exception {
    hub =
        ApiTestHub.start("DashboardBrowserTest", dataDir, "hive.http.auth.access-token-ttl = 12s");
    var user =
        hub.http.post(
            "/api/users",
            "{\"username\": \""
                + ADMIN
                + "\", \"password\": \""
                + PASSWORD
                + "\", \"role\": \"admin\"}");
    assertEquals(201, user.status(), user.body());
  }

  @AfterAll
  static void stop() {
    if (hub != null) {
      hub.stop();
    }
  }

  // ---- helpers ----

  static String agent(String name, double proficiency) throws Exception {
    var r =
        hub.http.post(
            "/api/agents",
            "{\"name\": \""
                + name
                + "\", \"type\": \"worker\", \"skill\": \"simulated\", \"capabilities\": [{\"name\": \""
                + CAPABILITY
                + "\", \"proficiency\": "
                + proficiency
                + "}]}");
    assertEquals(201, r.status(), r.body());
    return r.json().get("id").asText();
  }

  static JsonNode task(String title) throws Exception {
    var r =
        hub.http.post(
            "/api/tasks",
            "{\"title\": \""
                + title
                + "\", \"max_attempts\": 10, \"required_capabilities\": [{\"name\": \""
                + CAPABILITY
                + "\", \"minimum_proficiency\": 0.5}]}");
    assertEquals(201, r.status(), r.body());
    return r.json();
  }

  static void completed(String taskId) {
    hub.http.getUntil(
        "/api/tasks/" + taskId,
        r -> "completed".equals(r.json().path("status").asText()),
        "task " + taskId + " to complete");
  }

  static boolean visible(By by) {
    List<WebElement> found = browser.all(by);
    return !found.isEmpty() && found.get(0).isDisplayed();
  }

  static void go(String hash) {
    browser.js("location.hash = arguments[0]", hash);
  }

  static void type(By by, String text) {
    WebElement e = browser.until("field " + by, d -> d.findElement(by));
    e.clear();
    e.sendKeys(text);
  }

  /** The page loaded once and signed in as the admin user (later tests never reload it). */
  static void signedIn() {
    if (!Boolean.TRUE.equals(browser.js("return !!document.getElementById('app')"))) {
      browser.driver().get(hub.http.base() + "/");
    }
    browser.until(
        "the login screen or the app",
        d -> visible(By.id("app")) || visible(testId("login-screen")));
    if (visible(testId("login-screen"))) {
      if (visible(testId("login-key"))) {
        browser.find(testId("login-mode")).click();
      }
      type(testId("login-username"), ADMIN);
      type(testId("login-password"), PASSWORD);
      browser.find(testId("login-submit")).click();
      browser.until("the app after signing in", d -> visible(By.id("app")));
    }
    browser.until(
        "the live feed",
        d -> "live".equals(d.findElement(testId("live-status")).getAttribute("data-state")));
  }

  static String text(By by) {
    return browser.until(by + " to show", d -> d.findElement(by).getText());
  }

  // ---- tests ----

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
  }

  @Test
  @Order(4)
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
  @Order(5)
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
    JsonNode learned = hub.http.get("/api/agents/" + id).json();
    assertNotEquals(0.7, learned.at("/capabilities/0/proficiency").asDouble(), "the agent learned");

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
  @Order(6)
  void aTaskSubmittedFromTheFormCompletesOnScreen() throws Exception {
    signedIn();
    agent("form-worker", 0.95);
    go("#/new-task");
    type(testId("field-title"), "submitted in the browser");
    new Select(browser.find(testId("field-priority"))).selectByValue("high");
    type(testId("field-required_capabilities[0].name"), CAPABILITY);
    type(testId("field-required_capabilities[0].minimum_proficiency"), "0.5");
    browser.find(testId("task-submit")).click();
    String hash =
        browser.until(
            "the new task's page",
            d -> {
              String h = browser.js("return location.hash");
              return h.startsWith("#/tasks/") ? h : null;
            });
    String id = hash.substring("#/tasks/".length());
    assertEquals("high", hub.http.get("/api/tasks/" + id).json().get("priority").asText());
    browser.until(
        "the task to complete on screen",
        d -> "completed".equals(d.findElement(testId("task-status")).getText()));
    assertTrue(text(testId("task-title")).contains("submitted in the browser"));
    assertTrue(text(testId("task-output")).contains("simulated"), "the result's output shows");
  }

  @Test
  @Order(7)
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
    // the instant in the browser's local time, to the millisecond, as the input holds it
    browser.js(
        "const d = new Date(arguments[0]); const p = (n, w = 2) => String(n).padStart(w, '0');"
            + "document.getElementById('tt-at').value = `${d.getFullYear()}-${p(d.getMonth() + 1)}-"
            + "${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}."
            + "${p(d.getMilliseconds(), 3)}`;",
        then.toEpochMilli());
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

    browser.find(testId("tt-now")).click();
    browser.until(
        "the state now",
        d -> Integer.parseInt(d.findElement(testId("tt-agent-count")).getText()) >= agentsNow);
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

  /** Failed requests the tests cause on purpose: a wrong password and a refused task. */
  static final List<Pattern> EXPECTED =
      List.of(
          Pattern.compile("/api/auth/login - Failed to load resource: .* status of 401"),
          Pattern.compile("/api/tasks - Failed to load resource: .* status of 400"));

  @Test
  @Order(100)
  void theConsoleHasNoErrors() throws Exception {
    signedIn();
    // a known error first: the check below must see the console, not an empty log
    browser.js("console.error('console-probe')");
    List<String> pageErrors = browser.js("return window.hiveErrors");
    List<LogEntry> console =
        browser.until(
            "the probe in the console",
            d -> {
              List<LogEntry> all = browser.readConsole();
              return all.stream().anyMatch(e -> e.getMessage().contains("console-probe"))
                  ? all
                  : null;
            });
    List<String> severe =
        console.stream()
            .filter(e -> e.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue())
            .map(LogEntry::getMessage)
            .filter(m -> !m.contains("console-probe"))
            .filter(m -> EXPECTED.stream().noneMatch(p -> p.matcher(m).find()))
            .toList();
    Files.write(
        BrowserSession.SHOTS.resolve("console.txt"),
        console.stream().map(e -> e.getLevel() + " " + e.getMessage()).toList());
    assertEquals(List.of(), severe, "errors in the browser's console (CSP violations included)");
    assertEquals(List.of(), pageErrors, "errors the page caught (window.hiveErrors)");
  }
}
