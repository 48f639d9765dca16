package io.agenthive.http;

import static io.agenthive.http.BrowserSession.testId;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogEntry;

/**
 * What the dashboard's browser tests share: one real hub per test class (access tokens live 12 s,
 * so the page refreshes its token while the tests run), one headless Chromium, the helpers that
 * drive the page, and the last test of every class: a console without errors (CSP violations
 * included).
 */
@Tag("needs-tools")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class DashboardBrowserBase {
  static final String ADMIN = "dash-admin";
  static final String PASSWORD = "correct horse battery";
  static final String CAPABILITY = "browser.code";

  @TempDir static Path dataDir;
  @RegisterExtension static final BrowserSession browser = new BrowserSession();
  static ApiTestHub hub;

  /** A test class that needs more configuration for its hub declares {@code HUB_CONFIG}. */
  @BeforeAll
  static void start(TestInfo info) throws Exception {
    String extraConfig = "";
    try {
      extraConfig =
          (String) info.getTestClass().orElseThrow().getDeclaredField("HUB_CONFIG").get(null);
    } catch (NoSuchFieldException none) {
      // the defaults
    }
    hub =
        ApiTestHub.start(
            "DashboardBrowser-" + System.nanoTime(),
            dataDir,
            "hive.http.auth.access-token-ttl = 12s\n" + extraConfig);
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

  /** Failed requests the tests cause on purpose: a wrong password and a refused task. */
  static final List<Pattern> EXPECTED =
      List.of(
          Pattern.compile("/api/auth/login - Failed to load resource: .* status of 401"),
          Pattern.compile("/api/tasks - Failed to load resource: .* status of 400"));

  /** The console errors this class's tests cause on purpose (a class causing more adds them). */
  List<Pattern> expectedErrors() {
    return EXPECTED;
  }

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
            .filter(m -> expectedErrors().stream().noneMatch(p -> p.matcher(m).find()))
            .toList();
    Files.write(
        BrowserSession.SHOTS.resolve("console-" + getClass().getSimpleName() + ".txt"),
        console.stream().map(e -> e.getLevel() + " " + e.getMessage()).toList());
    assertEquals(List.of(), severe, "errors in the browser's console (CSP violations included)");
    assertEquals(List.of(), pageErrors, "errors the page caught (window.hiveErrors)");
  }
}
