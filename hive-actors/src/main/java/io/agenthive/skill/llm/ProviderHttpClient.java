package io.agenthive.skill.llm;

import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;
import io.agenthive.skill.guard.ProviderFailure;
import io.agenthive.skill.guard.Unreachable;
import io.agenthive.tracing.Traceparent;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * LangChain4j's HTTP transport for the {@code llm} skill, on the JDK client. It exists for one
 * reason: LangChain4j's own client turns an error answer into an exception without its headers, and
 * the provider's {@code Retry-After} must reach the endpoint's guard. Error answers become {@link
 * ProviderFailure}s (status, retryable or not, Retry-After). Streaming is not used.
 */
final class ProviderHttpClient implements HttpClient {
  /**
   * The attempt's {@code traceparent} while its chat call runs. LangChain4j has no per-call
   * headers, but its blocking chat call sends the request on the calling thread, so the skill sets
   * this around the call and the request carries it.
   */
  static final ThreadLocal<String> TRACEPARENT = new ThreadLocal<>();

  private final java.net.http.HttpClient client;
  private final Duration readTimeout;

  private ProviderHttpClient(Duration connectTimeout, Duration readTimeout) {
    this.client =
        java.net.http.HttpClient.newBuilder()
            .connectTimeout(connectTimeout == null ? Duration.ofSeconds(10) : connectTimeout)
            .build();
    this.readTimeout = readTimeout == null ? Duration.ofSeconds(60) : readTimeout;
  }

  @Override
  public SuccessfulHttpResponse execute(HttpRequest request) {
    java.net.http.HttpRequest.Builder http =
        java.net.http.HttpRequest.newBuilder(URI.create(request.url())).timeout(readTimeout);
    request.headers().forEach((name, values) -> values.forEach(v -> http.header(name, v)));
    String traceparent = TRACEPARENT.get();
    if (traceparent != null) {
      http.header(Traceparent.HEADER, traceparent);
    }
    String body = request.body() == null ? "" : request.body();
    http.method(
        request.method().name(),
        request.method().name().equals("GET")
            ? java.net.http.HttpRequest.BodyPublishers.noBody()
            : java.net.http.HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> response;
    try {
      response = client.send(http.build(), HttpResponse.BodyHandlers.ofString());
    } catch (HttpTimeoutException e) {
      throw ProviderFailure.transientError(
          "LLM endpoint at "
              + Unreachable.hostAndPort(request.url())
              + " did not answer within "
              + readTimeout);
    } catch (IOException e) {
      throw Unreachable.describe("LLM endpoint", request.url(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ProviderFailure.transientError("interrupted while calling the LLM endpoint");
    }
    int status = response.statusCode();
    if (status / 100 != 2) {
      throw ProviderFailure.ofStatus(
          status,
          "LLM endpoint answered " + status + ": " + ProviderFailure.abbreviate(response.body()),
          ProviderFailure.retryAfter(response.headers()));
    }
    return SuccessfulHttpResponse.builder()
        .statusCode(status)
        .headers(response.headers().map())
        .body(response.body())
        .build();
  }

  @Override
  public void execute(
      HttpRequest request, ServerSentEventParser parser, ServerSentEventListener listener) {
    // LangChain4j calls this only for streaming models, which the llm skill never builds
    throw new UnsupportedOperationException("no streaming"); // allowed: never called
  }

  /** What LangChain4j's model builders take. */
  static final class Builder implements HttpClientBuilder {
    private Duration connectTimeout;
    private Duration readTimeout;

    @Override
    public Duration connectTimeout() {
      return connectTimeout;
    }

    @Override
    public HttpClientBuilder connectTimeout(Duration timeout) {
      this.connectTimeout = timeout;
      return this;
    }

    @Override
    public Duration readTimeout() {
      return readTimeout;
    }

    @Override
    public HttpClientBuilder readTimeout(Duration timeout) {
      this.readTimeout = timeout;
      return this;
    }

    @Override
    public HttpClient build() {
      return new ProviderHttpClient(connectTimeout, readTimeout);
    }
  }
}
