package io.agenthive.http;

import static io.agenthive.http.BrowserSession.testId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard's Schedules view in headless Chromium against a real hub (see {@link
 * DashboardBrowserBase}): a schedule made over the API is listed with its next fire time; Trigger
 * now shows the run it made with a link to its task, a slot triggered elsewhere arrives through the
 * feed, and Pause shows it paused (and the hub agrees); a viewer sees it without buttons.
 */
class DashboardScheduleBrowserTest extends DashboardBrowserBase {
  static final String NAME = "browser-hourly";
  static final String VIEWER = "dash-viewer";

  static By row() {
    return By.cssSelector("[data-testid='schedule-row'][data-name='" + NAME + "']");
  }

  static By inRow(String testid) {
    return By.cssSelector(
        "[data-testid='schedule-row'][data-name='" + NAME + "'] [data-testid='" + testid + "']");
  }

  static By manualRuns() {
    return By.cssSelector(
        "[data-testid='schedule-row'][data-name='"
            + NAME
            + "'] [data-testid='schedule-run'][data-outcome='manual']");
  }

  /** Clicks, looking the element up again if the view redrew it meanwhile. */
  static void press(By by) {
    browser.until(
        "to press " + by,
        d -> {
          d.findElement(by).click();
          return true;
        });
  }

  static String attr(By by, String name) {
    return browser.until(by + " " + name, d -> d.findElement(by).getAttribute(name));
  }

  /** How many elements match, counted in one script (no element to go stale between calls). */
  static long count(String css) {
    return browser.<Long>js("return document.querySelectorAll(arguments[0]).length", css);
  }

  @Test
  @Order(1)
  void aScheduleIsListedTriggeredFromTheViewAndPaused() throws Exception {
    agent("schedule-runner", 0.9);
    var made =
        hub.http.post(
            "/api/schedules",
            "{\"name\": \""
                + NAME
                + "\", \"every\": \"1h\", \"task\": {\"title\": \"hourly report\","
                + " \"max_attempts\": 10, \"required_capabilities\": [{\"name\": \""
                + CAPABILITY
                + "\", \"minimum_proficiency\": 0.5}]}}");
    assertEquals(201, made.status(), made.body());

    signedIn();
    press(testId("nav-schedules"));
    browser.until("the schedule listed as active", d -> d.findElement(row()) != null);
    assertEquals("active", attr(row(), "data-state"));
    assertEquals("every 1h", text(inRow("schedule-every")));
    assertEquals("UTC", text(inRow("schedule-timezone")));
    // the next fire time: the next whole hour (every-slots are multiples of the interval)
    Instant next = Instant.parse(attr(inRow("schedule-next"), "data-at"));
    assertEquals(0, next.getEpochSecond() % 3600, next.toString());
    assertTrue(next.isAfter(Instant.now().minusSeconds(5)), next.toString());
    assertTrue(next.isBefore(Instant.now().plusSeconds(3601)), next.toString());
    assertEquals("no runs yet", text(inRow("schedule-runs")));
    browser.screenshot("schedules");

    press(inRow("schedule-trigger"));
    String taskId =
        browser.until(
            "the triggered run with its task link",
            d -> {
              var links =
                  d.findElements(
                      By.cssSelector(
                          "[data-testid='schedule-row'][data-name='"
                              + NAME
                              + "'] [data-outcome='manual'] [data-testid='schedule-run-task']"));
              return links.isEmpty()
                  ? null
                  : links.get(0).findElement(By.xpath("..")).getAttribute("data-task-id");
            });
    assertTrue(text(testId("schedules-result")).startsWith("Triggered " + NAME), "said so");
    JsonNode history = hub.http.get("/api/schedules/" + NAME + "/history").json().get("items");
    assertEquals(1, history.size(), history.toString());
    assertEquals("manual", history.get(0).get("outcome").asText());
    assertEquals(taskId, history.get(0).get("task_id").asText());
    completed(taskId);
    browser.until(
        "the run's task shown completed",
        d ->
            "completed"
                .equals(
                    d.findElement(
                            By.cssSelector(
                                "[data-task-id='"
                                    + taskId
                                    + "'] [data-testid='schedule-run-status']"))
                        .getText()));

    // a slot triggered elsewhere arrives through the live feed, well before the 15 s poll
    var elsewhere = hub.http.post("/api/schedules/" + NAME + "/trigger", "{}");
    assertEquals(201, elsewhere.status(), elsewhere.body());
    new WebDriverWait(browser.driver(), Duration.ofSeconds(5))
        .withMessage("the second run, from the feed")
        .until(d -> d.findElements(manualRuns()).size() == 2);

    press(inRow("schedule-pause"));
    browser.until(
        "the schedule shown paused",
        d ->
            "paused".equals(d.findElement(row()).getAttribute("data-state"))
                && "paused".equals(d.findElement(inRow("schedule-state")).getText()));
    browser.until("Resume offered instead of Pause", d -> visible(inRow("schedule-resume")));
    assertEquals("none while paused", text(inRow("schedule-next")));
    JsonNode read = hub.http.get("/api/schedules/" + NAME).json();
    assertTrue(read.get("paused").asBoolean(), read.toString());
    browser.screenshot("schedules-paused");

    // the run's link opens its task
    press(By.cssSelector("[data-task-id='" + taskId + "'] a"));
    browser.until(
        "the run's task page",
        d -> ("#/tasks/" + taskId).equals(browser.js("return location.hash")));
  }

  @Test
  @Order(2)
  void deleteAsksOnceMoreThenTheScheduleIsGone() throws Exception {
    var made =
        hub.http.post(
            "/api/schedules",
            "{\"name\": \"browser-doomed\", \"cron\": \"0 9 * * MON\", \"timezone\":"
                + " \"Europe/Berlin\", \"task\": {\"title\": \"never mind\"}}");
    assertEquals(201, made.status(), made.body());
    signedIn();
    go("#/schedules");
    By doomed = By.cssSelector("[data-testid='schedule-row'][data-name='browser-doomed']");
    By delete = By.cssSelector("[data-name='browser-doomed'] [data-testid='schedule-delete']");
    browser.until("the cron schedule listed", d -> d.findElement(delete).isDisplayed());
    assertEquals(
        "0 9 * * MON",
        text(By.cssSelector("[data-name='browser-doomed'] [data-testid='schedule-cron']")));
    press(delete);
    By keep = By.cssSelector("[data-name='browser-doomed'] [data-testid='schedule-delete-cancel']");
    browser.until("asked once more", d -> d.findElement(keep).isDisplayed());
    press(keep);
    browser.until("kept", d -> d.findElement(delete).isDisplayed());
    assertEquals(200, hub.http.get("/api/schedules/browser-doomed").status());

    press(delete);
    press(By.cssSelector("[data-name='browser-doomed'] [data-testid='schedule-delete-confirm']"));
    browser.until("the row gone", d -> d.findElements(doomed).isEmpty());
    assertEquals("Deleted browser-doomed.", text(testId("schedules-result")));
    assertEquals(404, hub.http.get("/api/schedules/browser-doomed").status());
    browser.until("the other schedule still listed", d -> visible(row()));
  }

  /**
   * An operator demoted to viewer while the page is open still has the buttons; the hub's 403 is
   * said in plain words.
   */
  @Test
  @Order(3)
  void aRefusalIsSaidPlainly() throws Exception {
    var user =
        hub.http.post(
            "/api/users",
            "{\"username\": \"dash-operator\", \"password\": \""
                + PASSWORD
                + "\", \"role\": \"operator\"}");
    assertEquals(201, user.status(), user.body());
    signInAs("dash-operator");
    go("#/schedules");
    browser.until(
        "the Trigger button", d -> d.findElement(inRow("schedule-trigger")).isDisplayed());
    var demoted = hub.http.method("PATCH", "/api/users/dash-operator", "{\"role\": \"viewer\"}");
    assertEquals(200, demoted.status(), demoted.body());
    press(inRow("schedule-trigger"));
    browser.until(
        "the refusal in words",
        d -> "error".equals(d.findElement(testId("schedules-result")).getAttribute("data-kind")));
    assertEquals(
        "You may not trigger schedules: that needs the operator role.",
        text(testId("schedules-result")));
    assertEquals(2, hub.http.get("/api/schedules/" + NAME + "/history").json().get("items").size());
  }

  @Override
  List<Pattern> expectedErrors() {
    List<Pattern> expected = new ArrayList<>(EXPECTED);
    expected.add(
        Pattern.compile(
            "/api/schedules/" + NAME + "/trigger - Failed to load resource: .* status of 403"));
    return expected;
  }

  /** Signs out whoever is signed in, then in as `username` (with the shared password). */
  static void signInAs(String username) {
    signedIn();
    press(testId("logout"));
    browser.until("the login screen", d -> visible(testId("login-screen")));
    type(testId("login-username"), username);
    type(testId("login-password"), PASSWORD);
    press(testId("login-submit"));
    browser.until(
        "signed in as " + username,
        d -> username.equals(d.findElement(testId("user-name")).getText()));
  }

  @Test
  @Order(4)
  void aViewerSeesTheSchedulesWithoutButtons() throws Exception {
    var user =
        hub.http.post(
            "/api/users",
            "{\"username\": \""
                + VIEWER
                + "\", \"password\": \""
                + PASSWORD
                + "\", \"role\": \"viewer\"}");
    assertEquals(201, user.status(), user.body());
    signInAs(VIEWER);
    assertEquals("viewer", text(testId("user-role")));

    go("#/schedules");
    browser.until("the schedule, read only", d -> visible(inRow("schedule-read-only")));
    assertEquals(0, count("[data-testid='schedule-row'] button"), "no buttons for a viewer");

    press(testId("logout"));
    browser.until("the login screen", d -> visible(testId("login-screen")));
    signedIn(); // the admin again, for the console check
  }
}
