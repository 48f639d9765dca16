package io.agenthive.http;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.chromium.ChromiumDriverLogLevel;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One headless Chromium for a test class, as a JUnit extension: Debian's chromium and chromedriver
 * at fixed paths (never Selenium Manager, which would download), a fresh profile, the browser's
 * console kept across tests, and a screenshot {@code target/browser/failure-<test>.png} taken the
 * moment a test fails.
 */
final class BrowserSession
    implements BeforeAllCallback,
        AfterAllCallback,
        AfterEachCallback,
        TestExecutionExceptionHandler {
  static final Path SHOTS = Path.of("target", "browser");
  static final Duration WAIT = Duration.ofSeconds(20);

  private final String chromium = System.getProperty("hive.test.chromium", "/usr/bin/chromium");
  private final String chromedriver =
      System.getProperty("hive.test.chromedriver", "/usr/bin/chromedriver");
  private ChromeDriverService service;
  private ChromeDriver driver;
  private Path profile;

  /** Every console entry the page logged so far (read from the browser after each test). */
  final List<LogEntry> console = new ArrayList<>();

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    // one session serves every test class in the JVM (a static field of their base): each class
    // gets its own browser, so its console check must not see the errors an earlier class expected
    console.clear();
    Files.createDirectories(SHOTS);
    try (Stream<Path> old = Files.list(SHOTS)) { // a passing run leaves no failure shots behind
      for (Path p : old.filter(p -> p.getFileName().toString().startsWith("failure-")).toList()) {
        Files.delete(p);
      }
    }
    profile = Files.createTempDirectory("hive-chromium-");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium);
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1366,768",
        "--user-data-dir=" + profile);
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(chromedriver))
            .usingAnyFreePort()
            .withLogFile(SHOTS.resolve("chromedriver.log").toFile())
            .withLogLevel(ChromiumDriverLogLevel.WARNING)
            .build();
    driver = new ChromeDriver(service, options);
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
  }

  @Override
  public void afterEach(ExtensionContext context) {
    readConsole();
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    try {
      if (driver != null) {
        driver.quit();
      }
    } finally {
      if (service != null) {
        service.stop();
      }
      if (profile != null) {
        try (Stream<Path> files = Files.walk(profile)) {
          files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
      }
    }
  }

  @Override
  public void handleTestExecutionException(ExtensionContext context, Throwable thrown)
      throws Throwable {
    try {
      screenshot("failure-" + context.getRequiredTestMethod().getName());
    } catch (Exception e) {
      thrown.addSuppressed(e);
    }
    throw thrown;
  }

  WebDriver driver() {
    return driver;
  }

  /** Saves the page as {@code target/browser/<name>.png}. */
  Path screenshot(String name) throws IOException {
    Path file = SHOTS.resolve(name + ".png");
    Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
    return file;
  }

  synchronized List<LogEntry> readConsole() {
    if (driver != null) {
      driver.manage().logs().get(LogType.BROWSER).forEach(console::add);
    }
    return List.copyOf(console);
  }

  @SuppressWarnings("unchecked")
  <T> T js(String script, Object... args) {
    return (T) ((JavascriptExecutor) driver).executeScript(script, args);
  }

  /** Waits for a non-null, non-false answer; elements re-rendered meanwhile are looked up again. */
  <T> T until(String what, Function<WebDriver, T> condition) {
    return new WebDriverWait(driver, WAIT)
        .withMessage(what)
        .ignoring(StaleElementReferenceException.class)
        .ignoring(NoSuchElementException.class)
        .until(condition);
  }

  /**
   * Clicks the element {@code by} finds; one the page re-rendered between finding and clicking (a
   * live update) is found again. A click that threw did not happen, so trying again is safe.
   */
  void click(By by) {
    until(
        "to click " + by,
        d -> {
          d.findElement(by).click();
          return true;
        });
  }

  static By testId(String id) {
    return By.cssSelector("[data-testid='" + id + "']");
  }

  WebElement find(By by) {
    return driver.findElement(by);
  }

  List<WebElement> all(By by) {
    return driver.findElements(by);
  }
}
