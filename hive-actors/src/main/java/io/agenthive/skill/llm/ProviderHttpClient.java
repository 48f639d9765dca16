package io.agenthive.skill.llm;

import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpClientBuilder;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;
import io.agenthive.skill.guard.CappedBody;
import io.agenthive.skill.guard.EgressPolicy;
import io.agenthive.skill.guard.ProviderFailure;
import io.agenthive.skill.guard.Unreachable;
import io.agenthive.tracing.Traceparent;
import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * LangChain4j's HTTP transport for the {@code llm} skill, on the JDK client. It exists for one
 * reason: LangChain4j's own client turns an error answer into an exception without its headers, and
 * the provider's {@code Retry-After} must reach the endpoint's guard. Error answers become {@link
 * ProviderFailure}s (status, retryable or not, Retry-After). An answer is read while it streams in
 * and cut off past {@code hive.limits.max-output} ({@link CappedBody}); a streamed one is bounded
 * the same way ({@link ProviderStream}).
 */
final class ProviderHttpClient implements HttpClient {
  /**
   * The attempt's {@code traceparent} while its chat call runs. LangChain4j has no per-call
   * headers, but its blocking chat call sends the request on the calling thread, so the skill sets
   * this around the call and the request carries it.
   */
  static final ThreadLocal<String> TRACEPARENT = new ThreadLocal<>();

  /**
   * Completed when the attempt whose chat call runs on this thread is given up (cancelled, timed
   * out): set like {@link #TRACEPARENT}, so the stream it reads is closed then (null: never).
   */
  static final ThreadLocal<java.util.concurrent.CompletionStage<Void>> ABANDONED =
      new ThreadLocal<>();

  private final java.net.http.HttpClient client;
  private final Duration readTimeout;
  private final long maxAnswerBytes;
  private final EgressPolicy egress;

  private ProviderHttpClient(
      Duration connectTimeout, Duration readTimeout, long maxAnswerBytes, EgressPolicy egress) {
    this.egress = egress;
    this.client =
        java.net.http.HttpClient.newBuilder()
            .connectTimeout(connectTimeout == null ? Duration.ofSeconds(10) : connectTimeout)
            .build();
    this.readTimeout = readTimeout == null ? Duration.ofSeconds(60) : readTimeout;
    this.maxAnswerBytes = maxAnswerBytes;
  }

  @Override
  public SuccessfulHttpResponse execute(HttpRequest request) {
    HttpResponse<byte[]> response = send(toJdk(request), request.url());
    String text = new String(response.body(), StandardCharsets.UTF_8);
    int status = response.statusCode();
    if (status / 100 != 2) {
      throw ProviderFailure.ofStatus(
          status,
          "LLM endpoint answered " + status + ": " + ProviderFailure.abbreviate(text),
          ProviderFailure.retryAfter(response.headers()));
    }
    return SuccessfulHttpResponse.builder()
        .statusCode(status)
        .headers(response.headers().map())
        .body(text)
        .build();
  }

  /** The request as the JDK sends it, with the attempt's traceparent; its host must be allowed. */
  private java.net.http.HttpRequest toJdk(HttpRequest request) {
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
    // this runs on the llm skill's blocking dispatcher: resolving the host here is fine
    egress.check(URI.create(request.url()));
    return http.build();
  }

  /**
   * The answer, headers and body within the read timeout and at most {@code maxAnswerBytes} long.
   * This runs on the llm skill's own blocking dispatcher, so waiting here is the design: the JDK's
   * timeout ends at the headers, and the wait below also bounds a body that stalls after them.
   */
  private HttpResponse<byte[]> send(java.net.http.HttpRequest request, String url) {
    String where = Unreachable.hostAndPort(url);
    CappedBody answer =
        new CappedBody(maxAnswerBytes, "the answer of the LLM endpoint at " + where);
    try {
      return client
          .sendAsync(request, answer)
          .get(readTimeout.toMillis(), TimeUnit.MILLISECONDS); // allowed: the llm dispatcher blocks
    } catch (TimeoutException e) {
      answer.cancel();
      throw ProviderFailure.transientError(
          "LLM endpoint at " + where + " did not answer within " + readTimeout);
    } catch (ExecutionException e) {
      answer.cancel();
      if (e.getCause() instanceof HttpTimeoutException) {
        throw ProviderFailure.transientError(
            "LLM endpoint at " + where + " did not answer within " + readTimeout);
      }
      throw Unreachable.describe("LLM endpoint", url, e.getCause());
    } catch (InterruptedException e) {
      answer.cancel();
      Thread.currentThread().interrupt();
      throw ProviderFailure.transientError("interrupted while calling the LLM endpoint");
    }
  }

  @Override
  public void execute(
      HttpRequest request, ServerSentEventParser parser, ServerSentEventListener listener) {
    // LangChain4j's streaming models call this; it reads on the calling (llm dispatcher) thread
    ProviderStream.read(
        client,
        toJdk(request),
        request.url(),
        readTimeout,
        maxAnswerBytes,
        ABANDONED.get(),
        parser,
        listener);
  }

  /** What LangChain4j's model builders take. */
  static final class Builder implements HttpClientBuilder {
    private final long maxAnswerBytes;
    private final EgressPolicy egress;
    private Duration connectTimeout;
    private Duration readTimeout;

    Builder(long maxAnswerBytes, EgressPolicy egress) {
      this.maxAnswerBytes = maxAnswerBytes;
      this.egress = egress;
    }

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
      return new ProviderHttpClient(connectTimeout, readTimeout, maxAnswerBytes, egress);
    }
  }
}
