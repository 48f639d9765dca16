package io.agenthive.http;

import static io.agenthive.http.BrowserSession.testId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The Tasks view on a hub holding 100,000 tasks (submitted through the API, none of which any agent
 * can take): the newest task first, a page drawn within a second, a search by title that finds the
 * one task, paging on and back, filters that survive a reload, and 50 selected tasks cancelled in
 * one go.
 */
class DashboardAtScaleBrowserTest extends DashboardBrowserBase {
  static final int TASKS = 100_000;
  static final int CONNECTIONS = 32;

  /**
   * Its hub holds more pending tasks than the default bound; its tokens live long enough for the
   * minute its tasks take to make (refreshing them is the other classes' subject).
   */
  static final String HUB_CONFIG =
      "hive.core.tasks.queue-bound = 200000\nhive.http.auth.access-token-ttl = 10m";

  @Test
  @Order(1)
  void theTaskListAtOneHundredThousandTasks() throws Exception {
    long began = System.nanoTime();
    submitMany();
    String newest = task("the newest of all").get("id").asText();
    hub.http.getUntil(
        "/api/tasks?limit=1",
        r ->
            r.json().get("total").asLong() == TASKS + 1
                && newest.equals(r.json().at("/items/0/id").asText()),
        "the read side to list every task, the newest first");
    long made = (System.nanoTime() - began) / 1_000_000;

    signedIn();
    // drawn three times from another view; the middle figure is the one asserted, so one look
    // that overlaps a pause of the hub's (a collection, the matcher's reconciliation) is noise.
    // The page itself notes when the newest task's row appears: timed from here, the figure held
    // WebDriver's half-second polls and its round trips (1.5 s on a busy CI machine, with the
    // list's request answered in 11-42 ms)
    List<Double> drawn = new ArrayList<>();
    List<Object> asked = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      go("#/overview");
      browser.until("the overview", d -> visible(testId("kpi-agents")));
      browser.js(
          NOTE_WHEN_DRAWN + "window.tasksAsked = performance.now(); location.hash = '#/tasks'",
          newest);
      browser.until(
          "the newest task first, noted by the page",
          d ->
              newest.equals(first(d.findElements(testId("task-row"))))
                  && Boolean.TRUE.equals(browser.js("return window.tasksDrawn !== null")));
      drawn.add(
          ((Number) browser.js("return window.tasksDrawn - window.tasksAsked")).doubleValue());
      // how much of it was the hub's answer to the page's one list request
      asked.add(
          browser.js(
              "return performance.getEntriesByType('resource')"
                  + ".filter(e => e.name.includes('/api/tasks?') && e.startTime >= window.tasksAsked)"
                  + ".map(e => Math.round(e.duration) + ' ms').join(', ')"));
    }
    assertEquals(50, browser.all(testId("task-row")).size(), "one page of 50 rows");
    assertEquals(
        String.valueOf(TASKS + 1), browser.find(testId("tasks-count")).getAttribute("data-total"));
    Files.createDirectories(BrowserSession.SHOTS);
    Files.writeString(
        BrowserSession.SHOTS.resolve("tasks-at-scale.txt"),
        "tasks made and listed in "
            + made
            + " ms; the first page drawn in (ms) "
            + drawn
            + "; its request answered in "
            + asked
            + "\n");
    double median = drawn.stream().sorted().toList().get(1);
    assertTrue(median < 1000, "the first page of 100,001 tasks drawn in " + drawn + " ms");

    // on and back: the next page starts below the first, and back shows the first again
    List<String> firstPage = rowIds();
    browser.click(testId("tasks-next"));
    browser.until("the next page", d -> !firstPage.get(0).equals(first(rows(d))));
    List<String> secondPage = rowIds();
    assertTrue(
        secondPage.stream().noneMatch(firstPage::contains), "no task on both pages: " + secondPage);
    browser.click(testId("tasks-prev"));
    browser.until("the first page again", d -> firstPage.equals(rowIds()));

    // a search by title, with a status filter, in the URL: a reload shows the same
    new Select(browser.find(testId("tasks-filter-status"))).selectByValue("pending");
    type(testId("tasks-search"), "needle-at-scale");
    browser.until("the one task found", d -> rows(d).size() == 1 && "1".equals(total(d)));
    assertTrue(
        browser.driver().getCurrentUrl().contains("q=needle-at-scale"),
        browser.driver().getCurrentUrl());
    browser.driver().navigate().refresh();
    browser.until(
        "the search again after a reload",
        d ->
            rows(d).size() == 1
                && "needle-at-scale"
                    .equals(d.findElement(testId("tasks-search")).getAttribute("value"))
                && "pending"
                    .equals(d.findElement(testId("tasks-filter-status")).getAttribute("value")));
    assertTrue(
        browser.find(testId("task-row")).getAttribute("data-title").contains("needle-at-scale"));

    // 50 selected pending tasks cancelled in one request
    go("#/tasks?status=pending");
    browser.until("a page of pending tasks", d -> rows(d).size() == 50);
    List<String> chosen = rowIds();
    browser.click(testId("tasks-select-page"));
    browser.until(
        "the selection counted",
        d -> d.findElement(testId("tasks-bulk-cancel")).getText().contains("50"));
    browser.click(testId("tasks-bulk-cancel"));
    browser.until(
        "the outcome",
        d -> "50".equals(d.findElement(testId("bulk-result")).getAttribute("data-succeeded")));
    for (String id : chosen) {
      hub.http.getUntil(
          "/api/tasks/" + id,
          r -> "cancelled".equals(r.json().get("status").asText()),
          id + " cancelled");
    }
    browser.until(
        "the cancelled tasks gone from the pending page",
        d -> rowIds().stream().noneMatch(chosen::contains));

    // sorted by a column: the one critical task of 100,001 heads the list, and the URL keeps it
    go("#/tasks");
    browser.until("the list", d -> rows(d).size() == 50);
    browser.click(testId("sort-priority"));
    browser.until(
        "the critical task first",
        d -> {
          List<WebElement> r = rows(d);
          return !r.isEmpty() && r.get(0).getAttribute("data-title").equals("needle-at-scale");
        });
    assertEquals("desc", browser.find(testId("sort-priority")).getAttribute("data-sorted"));
    assertTrue(
        browser.driver().getCurrentUrl().contains("sort=priority"),
        browser.driver().getCurrentUrl());
    browser.click(testId("sort-priority"));
    browser.until(
        "lowest first when clicked again",
        d -> "asc".equals(d.findElement(testId("sort-priority")).getAttribute("data-sorted")));
    browser.until(
        "the critical task no longer first",
        d -> {
          List<WebElement> r = rows(d);
          return r.size() == 50 && !r.get(0).getAttribute("data-title").equals("needle-at-scale");
        });
  }

  private static void submitMany() throws Exception {
    AtomicInteger next = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(CONNECTIONS);
    List<Future<?>> all = new ArrayList<>();
    for (int c = 0; c < CONNECTIONS; c++) {
      all.add(
          pool.submit(
              () -> {
                HttpClient client =
                    HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                for (int i; (i = next.getAndIncrement()) < TASKS; ) {
                  String title = i == 71_234 ? "needle-at-scale" : "scale task " + i;
                  HttpRequest request =
                      HttpRequest.newBuilder(URI.create(hub.http.base() + "/api/tasks"))
                          .header("Content-Type", "application/json")
                          .header("Authorization", "Bearer " + hub.adminKey)
                          .timeout(Duration.ofSeconds(30))
                          .POST(
                              HttpRequest.BodyPublishers.ofString(
                                  "{\"title\": \""
                                      + title
                                      + (i == 71_234 ? "\", \"priority\": \"critical" : "")
                                      + "\", \"required_capabilities\": [{\"name\":"
                                      + " \"scale.nobody\"}]}"))
                          .build();
                  HttpResponse<String> r =
                      client.send(request, HttpResponse.BodyHandlers.ofString());
                  assertEquals(201, r.statusCode(), r.body());
                }
                return null;
              }));
    }
    for (Future<?> f : all) {
      f.get(10, TimeUnit.MINUTES);
    }
    pool.shutdown();
  }

  private static List<WebElement> rows(WebDriver d) {
    return d.findElements(testId("task-row"));
  }

  /**
   * Sets {@code window.tasksDrawn} to the moment the first task row of the page is the task whose
   * id is the script's first argument, watched by the page as its DOM changes.
   */
  private static final String NOTE_WHEN_DRAWN =
      "const newest = arguments[0]; window.tasksDrawn = null;"
          + " const watch = new MutationObserver(() => {"
          + "   const row = document.querySelector(\"[data-testid='task-row']\");"
          + "   if (row && row.dataset.taskId === newest) {"
          + "     window.tasksDrawn = performance.now(); watch.disconnect(); } });"
          + " watch.observe(document.body, {childList: true, subtree: true, attributes: true});";

  private static String first(List<WebElement> rows) {
    return rows.isEmpty() ? null : rows.get(0).getAttribute("data-task-id");
  }

  /** The row ids as shown, read in one go (the list redraws as rows change). */
  private static List<String> rowIds() {
    return browser.js(
        "return [...document.querySelectorAll(\"[data-testid='task-row']\")]"
            + ".map(r => r.dataset.taskId)");
  }

  /** The number of matching tasks the list says the hub holds. */
  private static String total(WebDriver d) {
    return d.findElement(testId("tasks-count")).getAttribute("data-total");
  }
}
