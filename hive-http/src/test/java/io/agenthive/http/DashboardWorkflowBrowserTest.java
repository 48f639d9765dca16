package io.agenthive.http;

import static io.agenthive.http.BrowserSession.testId;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

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
}
