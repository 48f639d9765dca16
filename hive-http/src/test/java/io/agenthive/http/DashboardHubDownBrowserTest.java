package io.agenthive.http;

import static io.agenthive.http.BrowserSession.testId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * The dashboard while its hub does not answer (the hub's port closed, the hive running on behind
 * it, see {@link ApiTestHub#unplug}): a list says so once instead of a count, rows it showed before
 * are marked stale, and it comes back by itself when the port opens again.
 */
class DashboardHubDownBrowserTest extends DashboardBrowserBase {
  static final String DOWN = "The hub is not answering — retrying";

  /** Every request made while the port is closed fails, and the browser logs each. */
  @Override
  List<Pattern> expectedErrors() {
    List<Pattern> all = new ArrayList<>(EXPECTED);
    all.add(Pattern.compile("Failed to load resource: net::ERR_CONNECTION_REFUSED"));
    // the event stream open when the port closed, cut mid-answer
    all.add(Pattern.compile("/api/events.* - Failed to load resource: net::ERR_"));
    return all;
  }

  @Test
  @Order(1)
  void listsSayTheHubIsNotAnsweringAndComeBackByThemselves() throws Exception {
    signedIn();
    String agentId = agent("down-worker", 0.9);
    String taskId = task("listed before the hub went away").get("id").asText();
    By taskRow = By.cssSelector("[data-testid='task-row'][data-task-id='" + taskId + "']");
    By agentRow = By.cssSelector("[data-testid='agent-row'][data-agent-id='" + agentId + "']");
    go("#/tasks");
    browser.until("the task listed", d -> !d.findElements(taskRow).isEmpty());
    assertFalse(visible(testId("hub-down")));

    hub.unplug();
    try {
      browser.find(testId("tasks-reload")).click();
      browser.until("the tasks view to say the hub is down", d -> visible(testId("hub-down")));
      assertEquals(DOWN, text(testId("hub-down")));
      assertEquals(
          "true",
          browser.find(testId("tasks-table")).getAttribute("data-stale"),
          "the rows read before are marked stale");
      assertFalse(visible(testId("tasks-count")), "no count while nothing current is known");

      // a view opened while the hub is down: one error state, no count, no endless Loading…
      go("#/agents");
      browser.until("the agents view to say the hub is down", d -> visible(testId("hub-down")));
      String shown = text(By.id("view"));
      assertTrue(shown.contains(DOWN), shown);
      assertFalse(shown.contains("Loading"), shown);
      assertFalse(visible(testId("agents-count")), shown);
      assertEquals(1, browser.all(testId("hub-down")).size(), "said once");
      browser.screenshot("hub-down");
    } finally {
      hub.plugBackIn();
    }

    browser.until(
        "the agents listed again without a reload",
        d -> !d.findElements(agentRow).isEmpty() && !visible(testId("hub-down")));
    assertTrue(text(testId("agents-count")).matches("\\d+ agents?.*"));
    go("#/tasks");
    browser.until(
        "the tasks listed, current",
        d ->
            !d.findElements(taskRow).isEmpty()
                && d.findElement(testId("tasks-table")).getAttribute("data-stale") == null);
    assertFalse(visible(testId("hub-down")));
    signedIn(); // the feed live again for the console check
  }
}
