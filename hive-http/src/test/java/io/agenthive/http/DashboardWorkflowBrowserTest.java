package io.agenthive.http;

import static io.agenthive.http.BrowserSession.testId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.agenthive.http.json.Json;
import io.agenthive.task.TaskStatus;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The dashboard's workflow views in headless Chromium against a real hub (see {@link
 * DashboardBrowserBase}): a diamond submitted over the API is listed, then shown step by step in
 * columns by depth with its critical path, and a step's task page links back to it.
 */
class DashboardWorkflowBrowserTest extends DashboardBrowserBase {
  static String step(String name, String... dependsOn) {
    return "{\"name\": \""
        + name
        + "\", \"title\": \"step "
        + name
        + "\", \"max_attempts\": 10, \"required_capabilities\": [{\"name\": \""
        + CAPABILITY
        + "\", \"minimum_proficiency\": 0.5}], \"depends_on\": ["
        + String.join(", ", List.of(dependsOn).stream().map(d -> "\"" + d + "\"").toList())
        + "]}";
  }

  @Test
  @Order(1)
  void aWorkflowIsListedAndShownByDepthWithItsCriticalPath() throws Exception {
    signedIn();
    agent("wf-runner-1", 0.9);
    agent("wf-runner-2", 0.8);
    var created =
        hub.http.post(
            "/api/workflows",
            "{\"name\": \"browser-diamond\", \"tasks\": ["
                + String.join(", ", step("a"), step("b", "a"), step("c", "a"), step("d", "b", "c"))
                + "]}");
    assertEquals(201, created.status(), created.body());
    String id = created.json().get("id").asText();
    JsonNode wf =
        hub.http
            .getUntil(
                "/api/workflows/" + id,
                r -> "completed".equals(r.json().get("status").asText()),
                "the workflow to complete")
            .json();

    go("#/workflows");
    By row =
        By.cssSelector(
            "[data-testid='workflow-row'][data-workflow-id='" + id + "'][data-status='completed']");
    // the status comes from the workflow, the steps' counts from the read tables a moment later
    browser.until(
        "the workflow listed as completed with its four steps",
        d ->
            d.findElements(row).size() == 1
                && d.findElement(row).getText().contains("4 of 4 completed"));
    browser.find(row).click();
    browser.until(
        "the workflow's page",
        d -> "completed".equals(d.findElement(testId("wf-status")).getText()));
    assertEquals("browser-diamond", text(testId("wf-name")));

    Map<String, Object> depths =
        browser.js(
            "return Object.fromEntries([...document.querySelectorAll(\"[data-testid='wf-node']\")]"
                + ".map(n => [n.dataset.step, n.closest('.dag-col').dataset.depth]))");
    assertEquals(Map.of("a", "0", "b", "1", "c", "1", "d", "2"), depths);
    // one drawn edge per dependency, from the step depended on to the one waiting for it
    Set<String> edges = new TreeSet<>();
    browser
        .all(testId("wf-edge"))
        .forEach(e -> edges.add(e.getAttribute("data-from") + "→" + e.getAttribute("data-to")));
    assertEquals(Set.of("a→b", "a→c", "b→d", "c→d"), edges);
    assertEquals(4, browser.all(testId("wf-edge")).size(), "one edge per dependency");
    String legend = text(testId("wf-legend"));
    assertTrue(legend.contains("critical path"), legend);
    assertTrue(legend.contains("completed"), legend);

    List<String> path = new ArrayList<>();
    wf.at("/critical_path/tasks").forEach(t -> path.add(t.asText()));
    assertEquals(3, path.size(), wf.toString());
    assertEquals(String.join(" → ", path), text(testId("wf-critical-path")));
    Set<String> marked = new HashSet<>();
    browser
        .all(By.cssSelector("[data-testid='wf-step'][data-critical='true']"))
        .forEach(r -> marked.add(r.getAttribute("data-step")));
    assertEquals(new HashSet<>(path), marked, "the critical steps are marked in the table");
    browser.screenshot("workflow");

    String lastStep = wf.at("/tasks/3/task_id").asText();
    go("#/tasks/" + lastStep);
    browser.until(
        "the step's task", d -> "d".equals(d.findElement(testId("task-workflow")).getText()));
    // clicked in the page: the task's view redraws as its history arrives
    browser.js("document.querySelector(\"[data-testid='task-workflow']\").click()");
    browser.until(
        "back on the workflow",
        d -> "browser-diamond".equals(d.findElement(testId("wf-name")).getText()));
  }

  /**
   * Every status a task can have (the hub's own list) has a colour of its own in the overview's
   * chart and as a chip: none falls back to black or to another's.
   */
  @Test
  @Order(3)
  void everyTaskStatusHasItsOwnColour() {
    signedIn();
    List<String> statuses = Stream.of(TaskStatus.values()).map(TaskStatus::label).sorted().toList();
    go("#/overview");
    Map<String, String> bars =
        browser.until(
            "the task status chart",
            d -> {
              Map<String, String> fills =
                  browser.js(
                      "return Object.fromEntries([...document.querySelectorAll("
                          + "'#chart-task-status rect:not(.track)')].map(r =>"
                          + " [r.getAttribute('class').replace('f-', ''), getComputedStyle(r).fill]))");
              return fills.size() == statuses.size() ? fills : null;
            });
    assertEquals(statuses, bars.keySet().stream().sorted().toList());
    assertDistinctColours("chart bars", bars);
    Map<String, String> chips =
        browser.js(
            "return import('/dashboard/util.js').then(u => Object.fromEntries(arguments[0].map(s => {"
                + " const c = u.chip(s); document.body.append(c);"
                + " const colour = getComputedStyle(c).color; c.remove(); return [s, colour]; })))",
            statuses);
    assertDistinctColours("chips", chips);
  }

  private static void assertDistinctColours(String what, Map<String, String> colours) {
    Set<String> black = Set.of("rgb(0, 0, 0)", "#000000", "black", "none", "");
    colours.forEach((status, c) -> assertFalse(black.contains(c), what + ": " + status + " " + c));
    assertEquals(
        colours.size(),
        new HashSet<>(colours.values()).size(),
        what + " share colours: " + colours);
  }

  /**
   * Every type the hub journaled (read back from the audit endpoint) appears in the event stream
   * view, and every kind in its filter: workflow, dependency, budget and access events included.
   */
  @Test
  @Order(2)
  void everyJournaledEventTypeAppearsInTheEventStreamView() throws Exception {
    signedIn();
    var budget =
        hub.http.method(
            "PUT",
            "/api/budgets/browser-budget",
            "{\"scope\":\"principal\",\"target\":\"nobody-in-particular\",\"metric\":\"tokens\",\"limit\":100000}");
    assertEquals(200, budget.status(), budget.body());
    var orphan =
        hub.http.post(
            "/api/tasks",
            "{\"title\": \"to cancel\", \"required_capabilities\": [{\"name\": \"nobody.has.it\"}]}");
    assertEquals(201, orphan.status(), orphan.body());
    String cancelled = orphan.json().get("id").asText();
    assertEquals(200, hub.http.post("/api/tasks/" + cancelled + "/cancel", "{}").status());
    var refused =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(hub.http.base() + "/api/auth/login"))
                    .header("Content-Type", "application/json")
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"username\": \"" + ADMIN + "\", \"password\": \"wrong one\"}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(401, refused.statusCode(), refused.body());

    String journaled =
        hub.http
            .getUntil(
                "/api/audit/events",
                r ->
                    Stream.of("WorkflowEnded", "TaskUnblocked", "TaskCancelled", "LoginFailed")
                        .allMatch(t -> r.body().contains("\"type\":\"" + t + "\"")),
                "the events to be journaled")
            .body();
    Set<String> types = new TreeSet<>();
    Set<String> kinds = new TreeSet<>();
    for (String line : journaled.lines().filter(l -> !l.isBlank()).toList()) {
      JsonNode e = Json.MAPPER.readTree(line);
      types.add(e.get("type").asText());
      kinds.add(e.get("entity_kind").asText());
    }
    assertTrue(kinds.containsAll(List.of("workflow", "budgets", "access")), kinds.toString());

    go("#/events");
    Set<String> shown =
        browser.until(
            "every journaled type in the view",
            d -> {
              Set<String> t = new TreeSet<>();
              d.findElements(testId("event-row")).forEach(r -> t.add(r.getAttribute("data-type")));
              return t.containsAll(types) ? t : null;
            });
    assertEquals(types, shown, "the view shows exactly the journaled types");
    Set<String> options = new TreeSet<>();
    browser
        .all(By.cssSelector("[data-testid='events-kind'] option"))
        .forEach(o -> options.add(o.getAttribute("value")));
    assertTrue(options.containsAll(kinds), options + " offers every kind in " + kinds);
    // said in words, not as fields cut off mid-JSON
    for (String type : List.of("WorkflowSubmitted", "WorkflowEnded", "TaskUnblocked")) {
      for (WebElement row :
          browser.all(
              By.cssSelector("[data-testid='event-row'][data-type='" + type + "'] .summary"))) {
        String text = row.getText();
        assertFalse(text.contains("{") || text.contains("…"), type + ": " + text);
      }
    }
    browser.screenshot("events");
  }
}
