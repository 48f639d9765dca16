package io.agenthive.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import io.agenthive.security.SecuritySettings;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code hive keys ...} and {@code hive users ...}: the admin API of a running hub, from the
 * command line. Talks HTTP to {@code --url} (default: this machine's configured port) with {@code
 * HIVE_API_KEY}, or the first admin key in the data directory. Mistakes are one plain sentence on
 * stderr and exit code 2; the hub's refusals its message and exit code 1.
 */
final class AccessCommand {
  private static final int MAX_ANSWER = 16 * 1024 * 1024;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String url;
  private final String key;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private AccessCommand(String url, String key) {
    this.url = url;
    this.key = key;
  }

  static int run(Config config, String what, List<String> args) {
    try {
      Map<String, String> options = options(args);
      String verb = options.remove("");
      if (verb == null) {
        throw new UsageError("Say what to do: ./hive " + what + " " + verbs(what) + ".");
      }
      if (!Set.of(verbs(what).replace(" or", ",").split(", ")).contains(verb)) {
        throw new UsageError("./hive " + what + " knows " + verbs(what) + ", not " + verb + ".");
      }
      AccessCommand command = new AccessCommand(url(config, options.remove("url")), key(config));
      return what.equals("keys") ? command.keys(verb, options) : command.users(verb, options);
    } catch (UsageError e) {
      System.err.println(e.getMessage());
      return 2;
    } catch (ConnectException e) {
      System.err.println("No hub answers there; start one with ./hive, or give --url.");
      return 1;
    } catch (IOException | InterruptedException e) {
      System.err.println("The hub could not be asked: " + e.getMessage());
      return 1;
    }
  }

  private static String verbs(String what) {
    return what.equals("keys")
        ? "create, list or revoke"
        : "create, list, remove, set-role or set-password";
  }

  private int keys(String verb, Map<String, String> o)
      throws UsageError, IOException, InterruptedException {
    switch (verb) {
      case "create" -> {
        JsonNode k =
            call("POST", "/api/keys", body("name", need(o, "name"), "role", need(o, "role")));
        System.out.println(k.path("key").asText());
        System.err.println(
            "Key "
                + k.path("id").asText()
                + " ("
                + k.path("name").asText()
                + ", "
                + k.path("role").asText()
                + "): shown only this once, keep it safe.");
      }
      case "list" -> {
        System.out.printf("%-14s %-20s %-9s %-26s %s%n", "ID", "NAME", "ROLE", "CREATED", "STATE");
        for (JsonNode k : call("GET", "/api/keys", null).path("items")) {
          System.out.printf(
              "%-14s %-20s %-9s %-26s %s%n",
              k.path("id").asText(),
              k.path("name").asText(),
              k.path("role").asText(),
              k.path("created_at").asText(),
              k.path("revoked_at").isTextual()
                  ? "revoked " + k.path("revoked_at").asText()
                  : "active");
        }
      }
      case "revoke" -> {
        JsonNode k = call("DELETE", "/api/keys/" + need(o, "id"), null);
        System.out.println("Key " + k.path("id").asText() + " revoked.");
      }
      default -> throw new IllegalStateException(verb); // checked in run
    }
    return 0;
  }

  private int users(String verb, Map<String, String> o)
      throws UsageError, IOException, InterruptedException {
    switch (verb) {
      case "create" -> {
        String username = need(o, "username");
        call(
            "POST",
            "/api/users",
            body("username", username, "role", need(o, "role"), "password", password(username)));
        System.out.println("User " + username + " created.");
      }
      case "list" -> {
        System.out.printf("%-24s %-9s %s%n", "USERNAME", "ROLE", "CREATED");
        for (JsonNode u : call("GET", "/api/users", null).path("items")) {
          System.out.printf(
              "%-24s %-9s %s%n",
              u.path("username").asText(), u.path("role").asText(), u.path("created_at").asText());
        }
      }
      case "remove" -> {
        call("DELETE", "/api/users/" + need(o, "username"), null);
        System.out.println("User " + o.get("username") + " removed.");
      }
      case "set-role" -> {
        call("PATCH", "/api/users/" + need(o, "username"), body("role", need(o, "role")));
        System.out.println("User " + o.get("username") + " is now " + o.get("role") + ".");
      }
      case "set-password" -> {
        String username = need(o, "username");
        call("PATCH", "/api/users/" + username, body("password", password(username)));
        System.out.println("Password of " + username + " changed.");
      }
      default -> throw new IllegalStateException(verb); // checked in run
    }
    return 0;
  }

  private JsonNode call(String method, String path, ObjectNode body)
      throws UsageError, IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url + path))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + key)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body.toString()));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    HttpResponse<java.io.InputStream> r =
        http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
    byte[] answer;
    try (java.io.InputStream in = r.body()) {
      // a key or user list is kilobytes: whatever answers at --url gets this much and no more
      answer = in.readNBytes(MAX_ANSWER + 1);
    }
    if (answer.length > MAX_ANSWER) {
      throw new UsageError(
          url + " answered more than " + MAX_ANSWER / (1024 * 1024) + " MiB: is it an Agent Hive?");
    }
    JsonNode json = answer.length == 0 ? JSON.createObjectNode() : JSON.readTree(answer);
    if (r.statusCode() >= 400) {
      JsonNode error = json.path("error");
      StringBuilder message =
          new StringBuilder(error.path("message").asText("the hub answered " + r.statusCode()));
      for (JsonNode f : error.path("field_errors")) {
        message
            .append("; ")
            .append(f.path("field").asText())
            .append(' ')
            .append(f.path("message").asText());
      }
      throw new UsageError("The hub refused: " + message + ".");
    }
    return json;
  }

  private static ObjectNode body(String... pairs) {
    ObjectNode node = JSON.createObjectNode();
    for (int i = 0; i + 1 < pairs.length; i += 2) {
      node.put(pairs[i], pairs[i + 1]);
    }
    return node;
  }

  /** From the terminal (asked twice, not echoed), or one line of standard input. */
  private static String password(String username) throws IOException, UsageError {
    Console console = System.console();
    if (console != null) {
      char[] first = console.readPassword("Password for %s: ", username);
      char[] again = console.readPassword("Again: ");
      if (first == null || !Arrays.equals(first, again)) {
        throw new UsageError("The two passwords differ; nothing was changed.");
      }
      return new String(first);
    }
    String line =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    if (line == null || line.isEmpty()) {
      throw new UsageError("Give the password on standard input (one line).");
    }
    return line;
  }

  private static String url(Config config, String given) {
    return given != null
        ? given.replaceAll("/+$", "")
        : "http://127.0.0.1:" + config.getInt("hive.http.port");
  }

  static String key(Config config) throws UsageError {
    String fromEnv = System.getenv("HIVE_API_KEY");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv.trim();
    }
    var file = SecuritySettings.from(config).adminKeyFile();
    try {
      return Files.readString(file).trim();
    } catch (NoSuchFileException e) {
      throw new UsageError(
          "No key to call the hub with: set HIVE_API_KEY (an admin key), or run "
              + "this where the hub keeps "
              + file
              + ".");
    } catch (IOException e) {
      throw new UsageError(
          "The admin key in "
              + file
              + " cannot be read ("
              + e.getMessage()
              + "): set HIVE_API_KEY instead.");
    }
  }

  /** {@code verb --name value ...}: the verb under "", each option under its name. */
  private static Map<String, String> options(List<String> args) throws UsageError {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.startsWith("--")) {
        if (i + 1 >= args.size()) {
          throw new UsageError("Option " + a + " needs a value.");
        }
        options.put(a.substring(2), args.get(++i));
      } else if (!options.containsKey("")) {
        options.put("", a);
      } else if (!options.containsKey("id")) {
        options.put("id", a); // keys revoke ID, users remove NAME
        options.putIfAbsent("username", a);
      } else {
        throw new UsageError("Unexpected argument " + a + ".");
      }
    }
    return options;
  }

  private static String need(Map<String, String> o, String name) throws UsageError {
    String v = o.get(name);
    if (v == null || v.isBlank()) {
      throw new UsageError("Give --" + name + ".");
    }
    return v;
  }
}
