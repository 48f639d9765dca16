package io.agenthive.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The task list at more than a page: newest first by default, paging on and back with the cursors
 * it hands out, a total that agrees with the pages, a search by title, id or agent name; and a
 * selection cancelled in one request with each outcome reported.
 */
// the selection test cancels tasks and the last one moves a task the others count on
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TaskListPagingTest {
  @TempDir static Path dataDir;
  static ApiTestHub hub;
  static final List<String> ids = new ArrayList<>(); // oldest first

  @BeforeAll
  static void start() throws Exception {
    hub = ApiTestHub.start("TaskListPaging-" + System.nanoTime(), dataDir, "");
    for (int i = 0; i < 25; i++) {
      ids.add(task("listed task " + i + (i == 17 ? " needle_100%" : ""), PRIORITIES.get(i % 4)));
    }
    hub.http.getUntil(
        "/api/tasks?limit=1", r -> r.json().get("total").asLong() == 25, "all 25 in the table");
  }

  @AfterAll
  static void stop() {
    hub.stop();
  }

  /** Lowest first: the order sort=priority&order=asc gives. */
  static final List<String> PRIORITIES = List.of("low", "medium", "high", "critical");

  static String task(String title, String priority) throws Exception {
    var r =
        hub.http.post(
            "/api/tasks",
            "{\"title\": \""
                + title
                + "\", \"priority\": \""
                + priority
                + "\", \"required_capabilities\": [{\"name\": \"list.nobody\"}]}");
    assertEquals(201, r.status(), r.body());
    return r.json().get("id").asText();
  }

  static List<String> idsOf(JsonNode page) {
    List<String> out = new ArrayList<>();
    page.get("items").forEach(t -> out.add(t.get("id").asText()));
    return out;
  }

  @Test
  @Order(1)
  void newestFirstWithPagesOnAndBackThatAgreeWithTheTotal() throws Exception {
    List<String> newest = new ArrayList<>(ids);
    java.util.Collections.reverse(newest);
    JsonNode first = hub.http.get("/api/tasks?limit=10").json();
    assertEquals(newest.subList(0, 10), idsOf(first));
    assertTrue(first.get("prev_cursor").isNull(), "the first page has no page before it");
    assertEquals(25, first.get("total").asLong());

    JsonNode second =
        hub.http.get("/api/tasks?limit=10&cursor=" + first.get("next_cursor").asText()).json();
    assertEquals(newest.subList(10, 20), idsOf(second));
    JsonNode third =
        hub.http.get("/api/tasks?limit=10&cursor=" + second.get("next_cursor").asText()).json();
    assertEquals(newest.subList(20, 25), idsOf(third));
    assertTrue(third.get("next_cursor").isNull(), "the last page has no page after it");

    JsonNode back =
        hub.http.get("/api/tasks?limit=10&before=" + third.get("prev_cursor").asText()).json();
    assertEquals(newest.subList(10, 20), idsOf(back));
    JsonNode backAgain =
        hub.http.get("/api/tasks?limit=10&before=" + back.get("prev_cursor").asText()).json();
    assertEquals(newest.subList(0, 10), idsOf(backAgain));
    assertTrue(backAgain.get("prev_cursor").isNull(), "back on the first page");

    assertEquals(
        ids.subList(0, 10), idsOf(hub.http.get("/api/tasks?limit=10&order=oldest").json()));
    assertEquals(
        List.of(), idsOf(hub.http.get("/api/tasks?cursor=no-such-task").json()), "unknown cursor");
  }

  /**
   * Sorted by a listed column, pages on and back in that order: priority by meaning (critical
   * first), title alphabetically; creation order breaks ties in the same direction.
   */
  @Test
  @Order(2)
  void sortedByPriorityOrTitlePagesOnAndBackInThatOrder() throws Exception {
    List<String> byPriority = new ArrayList<>(ids);
    byPriority.sort(
        java.util.Comparator.comparing((String id) -> ids.indexOf(id) % 4)
            .thenComparing(ids::indexOf)
            .reversed());
    assertEquals(byPriority, walk("sort=priority"));
    List<String> byTitle = new ArrayList<>(ids);
    byTitle.sort(java.util.Comparator.comparing((String id) -> title(ids.indexOf(id))));
    assertEquals(byTitle, walk("sort=title&order=asc"));
    var wrong = hub.http.get("/api/tasks?sort=colour");
    assertEquals(400, wrong.status());
    assertEquals("sort", wrong.json().at("/error/field_errors/0/field").asText(), wrong.body());
    for (String sort : List.of("status", "attempts", "agent")) {
      assertEquals(25, walk("sort=" + sort).size(), sort);
    }
    for (String sort : List.of("name", "state", "completed", "failed", "created")) {
      assertEquals(200, hub.http.get("/api/agents?order=asc&sort=" + sort).status(), sort);
    }
  }

  private static String title(int i) {
    return "listed task " + i + (i == 17 ? " needle_100%" : "");
  }

  /** Every task in the list's order, read on in pages of 7, checked against reading back. */
  private static List<String> walk(String query) throws Exception {
    List<JsonNode> pages = new ArrayList<>();
    String cursor = null;
    do {
      JsonNode page =
          hub.http
              .get("/api/tasks?limit=7&" + query + (cursor == null ? "" : "&cursor=" + cursor))
              .json();
      pages.add(page);
      cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
    } while (cursor != null);
    List<String> all = new ArrayList<>();
    pages.forEach(p -> all.addAll(idsOf(p)));
    JsonNode last = pages.get(pages.size() - 1);
    JsonNode back =
        hub.http
            .get("/api/tasks?limit=7&" + query + "&before=" + last.get("prev_cursor").asText())
            .json();
    assertEquals(idsOf(pages.get(pages.size() - 2)), idsOf(back), "read back in " + query);
    return all;
  }

  @Test
  @Order(3)
  void aSearchFindsByTitleOrIdTakingItsWordsLiterally() throws Exception {
    JsonNode byTitle = hub.http.get("/api/tasks?q=NEEDLE_100%25").json();
    assertEquals(List.of(ids.get(17)), idsOf(byTitle));
    assertEquals(1, byTitle.get("total").asLong());
    // % and _ are letters here, not LIKE's wildcards
    assertEquals(List.of(), idsOf(hub.http.get("/api/tasks?q=needle__100").json()));
    String id = ids.get(3);
    assertEquals(
        List.of(id), idsOf(hub.http.get("/api/tasks?q=" + id.substring(0, 12)).json()), "id");
    var tooLong = hub.http.get("/api/tasks?q=" + "x".repeat(201));
    assertEquals(400, tooLong.status());
    assertEquals("q", tooLong.json().at("/error/field_errors/0/field").asText());
    var order = hub.http.get("/api/tasks?order=sideways");
    assertEquals("order", order.json().at("/error/field_errors/0/field").asText(), order.body());
  }

  @Test
  @Order(4)
  void aSelectionIsCancelledInOneRequestWithEachOutcomeReported() throws Exception {
    List<String> chosen = new ArrayList<>(ids.subList(0, 5));
    chosen.add("no-such-task");
    var r =
        hub.http.post(
            "/api/tasks/bulk",
            "{\"action\": \"cancel\", \"ids\": [\"" + String.join("\", \"", chosen) + "\"]}");
    assertEquals(200, r.status(), r.body());
    assertEquals(5, r.json().get("succeeded").asInt(), r.body());
    assertEquals(1, r.json().get("failed").asInt());
    for (JsonNode o : r.json().get("results")) {
      if (o.get("id").asText().equals("no-such-task")) {
        assertEquals("not_found", o.get("error").asText());
      } else {
        assertEquals("cancelled", o.get("status").asText(), o.toString());
      }
    }
    // a second time: each is refused as its own route refuses it, and none is lost
    var again =
        hub.http.post(
            "/api/tasks/bulk", "{\"action\": \"cancel\", \"ids\": [\"" + ids.get(0) + "\"]}");
    assertEquals("conflict", again.json().at("/results/0/error").asText(), again.body());
    var bad = hub.http.post("/api/tasks/bulk", "{\"action\": \"delete\", \"ids\": []}");
    assertEquals(400, bad.status());
    assertEquals(2, bad.json().at("/error/field_errors").size(), bad.body());
  }

  /**
   * A sorted list pages on from where the page before ended even when the row it ended at changes
   * its key meanwhile: here the last row of a page by status is cancelled before the next page is
   * read (it moves to the end), and the next page starts right after where it stood.
   */
  @Test
  @Order(5)
  void aSortedPageGoesOnFromWhereThePageBeforeEndedWhenThatRowMoves() throws Exception {
    // after the selection test: ids 0-4 cancelled, 5-24 pending; by status, lowest first (the
    // read tables follow the cancellations within about a second)
    List<String> before =
        idsOf(
            hub.http
                .getUntil(
                    "/api/tasks?limit=100&sort=status&order=asc",
                    r -> idsOf(r.json()).subList(0, 20).equals(ids.subList(5, 25)),
                    "pending first, oldest first")
                .json());
    JsonNode first = hub.http.get("/api/tasks?limit=5&sort=status&order=asc").json();
    assertEquals(before.subList(0, 5), idsOf(first));
    String moved = before.get(4);
    assertEquals(200, hub.http.post("/api/tasks/" + moved + "/cancel", "{}").status());
    hub.http.getUntil(
        "/api/tasks?limit=100&sort=status&order=asc",
        r -> !idsOf(r.json()).get(4).equals(moved),
        "the cancelled task to leave its place in the list");
    JsonNode next =
        hub.http
            .get(
                "/api/tasks?limit=5&sort=status&order=asc&cursor="
                    + first.get("next_cursor").asText())
            .json();
    assertEquals(before.subList(5, 10), idsOf(next), "no task repeated, none passed over");
  }
}
