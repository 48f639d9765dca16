package io.agenthive.http;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenAPI document and the routes describe the same API: every documented operation is served,
 * every other method on a documented path is refused with 405, and every path literal the route
 * code matches appears in the document.
 */
@Tag("database-neutral") // the edge or the launcher's own checks: the same on every database
class OpenApiContractTest {
  static final List<String> METHODS = List.of("GET", "POST", "PUT", "DELETE", "PATCH");
  @TempDir static Path dataDir;
  static ApiTestHub hub;
  static JsonNode doc;

  @BeforeAll
  static void start() throws Exception {
    hub = ApiTestHub.start("OpenApiContractTest", dataDir, "");
    var r = hub.http.get("/api/openapi.json");
    assertEquals(200, r.status());
    doc = r.json();
    assertEquals("3.0.3", doc.get("openapi").asText());
  }

  @AfterAll
  static void stop() {
    hub.stop();
  }

  static List<String> paths() {
    List<String> out = new ArrayList<>();
    doc.get("paths").fieldNames().forEachRemaining(out::add);
    return out;
  }

  static String concrete(String template) {
    return template.replaceAll("\\{[^}]+}", "probe-id");
  }

  static boolean routed(HttpTestClient.Reply r) {
    if (r.status() == 405) {
      return false;
    }
    return !(r.status() == 404
        && r.json() != null
        && "no_route".equals(r.json().at("/error/code").asText()));
  }

  /** Operations answering with a never-ending event stream: only their status is read. */
  static boolean streams(String template, String method) {
    return doc.at(
            "/paths/"
                + template.replace("/", "~1")
                + "/"
                + method.toLowerCase(Locale.ROOT)
                + "/responses/200/content")
        .has("text/event-stream");
  }

  HttpTestClient.Reply call(String method, String path) throws Exception {
    return method.equals("POST") ? hub.http.post(path, "{}") : hub.http.method(method, path);
  }

  @Test
  void everyDocumentedOperationIsServed() throws Exception {
    for (String template : paths()) {
      for (Iterator<String> it = doc.get("paths").get(template).fieldNames(); it.hasNext(); ) {
        String method = it.next().toUpperCase(Locale.ROOT);
        if (streams(template, method)) {
          // a stream of one thing (a task's live output) is 404 for an unknown id: routed still
          int status = hub.http.status(method, concrete(template));
          assertTrue(
              status == 200 || status == 404 && routed(call(method, concrete(template))),
              template + ": " + status);
          continue;
        }
        var r = call(method, concrete(template));
        assertTrue(
            routed(r),
            method
                + " "
                + template
                + " is documented but not routed: "
                + r.status()
                + " "
                + r.body());
      }
    }
  }

  @Test
  void everyOtherMethodOnADocumentedPathIsRefused() throws Exception {
    for (String template : paths()) {
      JsonNode ops = doc.get("paths").get(template);
      for (String method : METHODS) {
        if (!ops.has(method.toLowerCase(Locale.ROOT))) {
          var r = call(method, concrete(template));
          assertFalse(
              routed(r),
              method
                  + " "
                  + template
                  + " is routed but not documented: "
                  + r.status()
                  + " "
                  + r.body());
        }
      }
    }
  }

  @Test
  void everyPathLiteralInTheRouteCodeIsDocumented() throws Exception {
    Set<String> documented = new HashSet<>();
    for (String p : paths()) {
      for (String segment : p.split("/")) {
        documented.add(segment);
      }
    }
    // statically imported directives (not JsonNode.path), PathMatchers.segment and .slash
    Pattern literal =
        Pattern.compile(
            "(?:(?<![.\\w])(?:path|pathPrefix)|PathMatchers\\.segment|\\.slash)\\(\"([^\"]+)\"");
    try (Stream<Path> files = Files.walk(Path.of("src/main/java/io/agenthive/http"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        Matcher m = literal.matcher(Files.readString(file));
        while (m.find()) {
          assertTrue(
              documented.contains(m.group(1)),
              "route literal '"
                  + m.group(1)
                  + "' in "
                  + file.getFileName()
                  + " is not in the OpenAPI document");
        }
      }
    }
  }
}
