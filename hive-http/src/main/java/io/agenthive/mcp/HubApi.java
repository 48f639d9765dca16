package io.agenthive.mcp;

import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpMethods;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.headers.RawHeader;
import akka.japi.function.Function;
import akka.stream.Materializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The hub's public REST API as the MCP tools see it. Every tool is a client of that API, so a tool
 * can do exactly what the caller's key may do through the API (the same guard, roles, validation
 * and errors) and nothing more. {@code send} is either the hub's own route tree, called in-process
 * by {@code /mcp} on the hub, or an HTTP client to a hub at a URL ({@code ./hive mcp --url}).
 */
public final class HubApi {
  /** A hub's answer to one tool call is kilobytes; past this it fails instead of filling memory. */
  private static final long MAX_ANSWER = 16L * 1024 * 1024;

  /** JSON in the API's own spelling (snake_case): bodies pass through the tools unchanged. */
  static final ObjectMapper JSON = new ObjectMapper();

  private final Function<HttpRequest, CompletionStage<HttpResponse>> send;
  private final String base;
  private final Materializer materializer;
  private final Duration timeout;

  public HubApi(
      Function<HttpRequest, CompletionStage<HttpResponse>> send,
      String base,
      Materializer materializer,
      Duration timeout) {
    this.send = send;
    this.base = base.replaceAll("/+$", "");
    this.materializer = materializer;
    this.timeout = timeout;
  }

  /** What the API answered: the status and the JSON body (missing when there was none). */
  public record Reply(int status, JsonNode json) {
    public boolean ok() {
      return status >= 200 && status < 300;
    }
  }

  /** The API as one caller: {@code credential} is an API key or token, or null for none. */
  public Caller as(String credential) {
    return new Caller(this, credential);
  }

  CompletionStage<Reply> sendAsync(String method, String path, JsonNode body, String credential) {
    HttpRequest request =
        HttpRequest.create(base + path).withMethod(HttpMethods.lookup(method).orElseThrow());
    if (body != null) {
      request = request.withEntity(ContentTypes.APPLICATION_JSON, body.toString());
    }
    if (credential != null) {
      request = request.addHeader(RawHeader.create("Authorization", "Bearer " + credential));
    }
    try {
      return send.apply(request)
          .thenCompose(
              response ->
                  response
                      .entity()
                      // allowed: bounded, at most MAX_ANSWER bytes are read
                      .toStrict(timeout.toMillis(), MAX_ANSWER, materializer)
                      .thenApply(
                          strict ->
                              new Reply(
                                  response.status().intValue(),
                                  parse(strict.getData().utf8String()))));
    } catch (Exception e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  Reply send(String method, String path, JsonNode body, String credential) {
    try {
      return sendAsync(method, path, body, credential)
          .toCompletableFuture()
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new ToolFailure(
          "the hub did not answer "
              + method
              + " "
              + path
              + " within "
              + timeout.toSeconds()
              + " s");
    } catch (ExecutionException e) {
      throw new ToolFailure("the hub could not be reached at " + base + ": " + e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ToolFailure("interrupted while calling the hub");
    }
  }

  /** The first {@code limit} lines of an NDJSON answer; the rest is not read. */
  java.util.List<JsonNode> lines(String path, int limit, String credential) {
    HttpRequest request = HttpRequest.create(base + path);
    if (credential != null) {
      request = request.addHeader(RawHeader.create("Authorization", "Bearer " + credential));
    }
    try {
      HttpResponse response =
          send.apply(request).toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (response.status().intValue() != 200) {
        String body =
            response
                .entity()
                // allowed: bounded, at most MAX_ANSWER bytes are read
                .toStrict(timeout.toMillis(), MAX_ANSWER, materializer)
                .toCompletableFuture()
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .getData()
                .utf8String();
        throw ToolFailure.fromApi(new Reply(response.status().intValue(), parse(body)));
      }
      return response
          .entity()
          .getDataBytes()
          .via(
              akka.stream.javadsl.Framing.delimiter(
                  akka.util.ByteString.fromString("\n"),
                  1 << 20,
                  akka.stream.javadsl.FramingTruncation.ALLOW))
          .take(limit)
          .map(line -> parse(line.utf8String()))
          .runWith(akka.stream.javadsl.Sink.seq(), materializer)
          .toCompletableFuture()
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new ToolFailure("the hub did not answer GET " + path + " in time");
    } catch (ExecutionException e) {
      throw new ToolFailure("the hub could not be reached at " + base + ": " + e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ToolFailure("interrupted while calling the hub");
    } catch (ToolFailure e) {
      throw e;
    } catch (Exception e) {
      throw new ToolFailure("the hub could not be called: " + e);
    }
  }

  /**
   * Follows a Server-Sent Events answer ({@code GET /api/tasks/{id}/stream}): each event's name and
   * JSON data go to {@code each} as they arrive, until the stream ends (true) or {@code timeout}
   * passes or the answer is not a stream (false; the stream is then closed).
   */
  boolean follow(
      String path,
      String credential,
      java.util.function.BiConsumer<String, JsonNode> each,
      Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    HttpRequest request =
        HttpRequest.create(base + path).addHeader(RawHeader.create("Accept", "text/event-stream"));
    if (credential != null) {
      request = request.addHeader(RawHeader.create("Authorization", "Bearer " + credential));
    }
    akka.stream.UniqueKillSwitch stop = null;
    try {
      HttpResponse response =
          send.apply(request).toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (response.status().intValue() != 200) {
        response.discardEntityBytes(materializer);
        return false;
      }
      var running =
          response
              .entity()
              .getDataBytes()
              // a so_far event holds at most the partial-text cap, JSON-escaped
              .via(
                  akka.stream.javadsl.Framing.delimiter(
                      akka.util.ByteString.fromString("\n\n"),
                      4 << 20,
                      akka.stream.javadsl.FramingTruncation.ALLOW))
              .viaMat(akka.stream.KillSwitches.single(), akka.stream.javadsl.Keep.right())
              .toMat(
                  akka.stream.javadsl.Sink.foreach(frame -> event(frame.utf8String(), each)),
                  akka.stream.javadsl.Keep.both())
              .run(materializer);
      stop = running.first();
      long left = Math.max(1, deadline - System.nanoTime());
      running.second().toCompletableFuture().get(left, TimeUnit.NANOSECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ToolFailure("interrupted while following the task");
    } catch (Exception e) {
      return false; // the caller reads the task instead
    } finally {
      if (stop != null) {
        stop.shutdown();
      }
    }
  }

  private static void event(String block, java.util.function.BiConsumer<String, JsonNode> each) {
    String name = "message";
    StringBuilder data = new StringBuilder();
    for (String line : block.split("\n")) {
      if (line.startsWith("event:")) {
        name = line.substring(6).trim();
      } else if (line.startsWith("data:")) {
        data.append(line.substring(5).stripLeading());
      }
    }
    if (!data.isEmpty()) {
      each.accept(name, parse(data.toString()));
    }
  }

  private static JsonNode parse(String text) {
    if (text.isBlank()) {
      return MissingNode.getInstance();
    }
    try {
      return JSON.readTree(text);
    } catch (Exception e) {
      return JSON.getNodeFactory().textNode(text);
    }
  }

  /** One caller's view of the API; a non-2xx answer becomes a {@link ToolFailure}. */
  public static final class Caller {
    private final HubApi api;
    private final String credential;

    Caller(HubApi api, String credential) {
      this.api = api;
      this.credential = credential;
    }

    JsonNode get(String path) {
      return checked("GET", path, null);
    }

    JsonNode post(String path, JsonNode body) {
      return checked("POST", path, body);
    }

    Reply raw(String method, String path, JsonNode body) {
      return api.send(method, path, body, credential);
    }

    java.util.List<JsonNode> lines(String path, int limit) {
      return api.lines(path, limit, credential);
    }

    boolean follow(
        String path, java.util.function.BiConsumer<String, JsonNode> each, Duration timeout) {
      return api.follow(path, credential, each, timeout);
    }

    CompletionStage<Reply> async(String method, String path) {
      return api.sendAsync(method, path, null, credential);
    }

    /** One call whatever its answer, without blocking (the A2A server's methods use it). */
    public CompletionStage<Reply> call(String method, String path, JsonNode body) {
      return api.sendAsync(method, path, body, credential);
    }

    private JsonNode checked(String method, String path, JsonNode body) {
      Reply reply = raw(method, path, body);
      if (!reply.ok()) {
        throw ToolFailure.fromApi(reply);
      }
      return reply.json();
    }
  }
}
