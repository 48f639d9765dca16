package io.agenthive.skill.llm;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.sse.ServerSentEvent;
import dev.langchain4j.http.client.sse.ServerSentEventContext;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;
import io.agenthive.skill.guard.OutputTooLarge;
import io.agenthive.skill.guard.ProviderFailure;
import io.agenthive.skill.guard.Unreachable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A streamed answer (OpenAI-compatible SSE, Ollama's NDJSON: LangChain4j hands over the parser for
 * its wire format), read on the calling thread — the llm skill's blocking dispatcher — with the
 * same bounds as a whole answer: an error status becomes a {@link ProviderFailure} (with its
 * Retry-After), the body is cut off past {@code hive.limits.max-output}, and the whole answer must
 * arrive within the read timeout (a stream that stalls after its headers is closed then). A stream
 * that ends without its end marker ({@code data: [DONE]}, Ollama's {@code "done": true}) was cut
 * off: that is told as a retryable failure, not as the end — LangChain4j's OpenAI listener would
 * otherwise complete the answer on close with whatever text had come, and it would be journaled as
 * a success.
 */
final class ProviderStream {
  private static final int MAX_ERROR_BYTES = 8 * 1024;

  private ProviderStream() {}

  static void read(
      HttpClient client,
      HttpRequest request,
      String url,
      Duration readTimeout,
      long maxAnswerBytes,
      CompletionStage<Void> abandoned,
      ServerSentEventParser parser,
      ServerSentEventListener listener) {
    String where = Unreachable.hostAndPort(url);
    CompletableFuture<HttpResponse<InputStream>> sent =
        client.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream());
    // a given-up attempt stops waiting for the headers (and, below, stops reading the body)
    AtomicBoolean gone = new AtomicBoolean();
    if (abandoned != null) {
      abandoned.thenRun(
          () -> {
            gone.set(true);
            sent.cancel(true);
          });
    }
    HttpResponse<InputStream> response;
    try {
      response = sent.get(readTimeout.toMillis(), TimeUnit.MILLISECONDS); // allowed: llm dispatcher
    } catch (CancellationException e) {
      listener.onError(ProviderFailure.transientError("the attempt was given up"));
      return;
    } catch (TimeoutException e) {
      sent.cancel(true);
      listener.onError(late(where, readTimeout));
      return;
    } catch (ExecutionException e) {
      listener.onError(
          e.getCause() instanceof HttpTimeoutException
              ? late(where, readTimeout)
              : Unreachable.describe("LLM endpoint", url, e.getCause()));
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      listener.onError(
          ProviderFailure.transientError("interrupted while calling the LLM endpoint"));
      return;
    }
    CompletableFuture<Void> closer = new CompletableFuture<>();
    try (InputStream body =
        new Capped(response.body(), maxAnswerBytes, "the answer of the LLM endpoint at " + where)) {
      int status = response.statusCode();
      if (status / 100 != 2) {
        String text = new String(body.readNBytes(MAX_ERROR_BYTES), StandardCharsets.UTF_8);
        listener.onError(
            ProviderFailure.ofStatus(
                status,
                "LLM endpoint answered " + status + ": " + ProviderFailure.abbreviate(text),
                ProviderFailure.retryAfter(response.headers())));
        return;
      }
      // a stream that stalls is closed at the read timeout: the parser's read then fails, and
      // the failure is told as the timeout it is. The timer is cancelled in finally (its
      // scheduled task goes with it), so a finished read holds no body until the timeout.
      AtomicBoolean late = new AtomicBoolean();
      closer
          .completeOnTimeout(null, readTimeout.toMillis(), TimeUnit.MILLISECONDS)
          .thenRun(
              () -> {
                late.set(true);
                closeQuietly(body);
              });
      if (abandoned != null) {
        // a cancelled or timed-out attempt stops reading: no more pieces to a live output gone
        abandoned.thenRun(() -> closeQuietly(body));
      }
      AtomicBoolean ended = new AtomicBoolean();
      ServerSentEventListener timed =
          new TimedListener(listener, late, late(where, readTimeout), ended);
      timed.onOpen(
          SuccessfulHttpResponse.builder()
              .statusCode(status)
              .headers(response.headers().map())
              .build());
      parser.parse(body, timed);
      if (gone.get()) {
        listener.onError(ProviderFailure.transientError("the attempt was given up"));
      } else if (late.get()) {
        listener.onError(late(where, readTimeout));
      } else if (!ended.get()) {
        listener.onError(
            ProviderFailure.transientError(
                "the stream of the LLM endpoint at " + where + " ended before its end marker"));
      } else {
        timed.onClose();
      }
    } catch (IOException | RuntimeException e) {
      listener.onError(gone.get() ? ProviderFailure.transientError("the attempt was given up") : e);
    } finally {
      closer.cancel(false);
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  /** OpenAI's {@code [DONE]}, or an Ollama line with {@code "done": true}. */
  static boolean isEndMarker(String data) {
    if (data == null) {
      return false;
    }
    String d = data.trim();
    if (d.equals("[DONE]")) {
      return true;
    }
    if (!d.startsWith("{") || !d.contains("\"done\"")) {
      return false;
    }
    try {
      return JSON.readTree(d).path("done").asBoolean(false);
    } catch (IOException e) {
      return false; // not JSON: not Ollama's last line, and LangChain4j reports it itself
    }
  }

  private static ProviderFailure late(String where, Duration readTimeout) {
    return ProviderFailure.transientError(
        "LLM endpoint at " + where + " did not answer within " + readTimeout);
  }

  private static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException e) {
      // closing only cuts a stall short; the reader sees the stream end either way
    }
  }

  /** Tells a read cut short by the timeout as a timeout, not as a closed stream. */
  private record TimedListener(
      ServerSentEventListener listener,
      AtomicBoolean late,
      ProviderFailure timeout,
      AtomicBoolean ended)
      implements ServerSentEventListener {
    @Override
    public void onOpen(SuccessfulHttpResponse response) {
      listener.onOpen(response);
    }

    @Override
    public void onEvent(ServerSentEvent event, ServerSentEventContext context) {
      watchForEnd(event);
      listener.onEvent(event, context);
    }

    @Override
    public void onEvent(ServerSentEvent event) {
      watchForEnd(event);
      listener.onEvent(event);
    }

    private void watchForEnd(ServerSentEvent event) {
      if (isEndMarker(event.data())) {
        ended.set(true);
      }
    }

    @Override
    public void onError(Throwable error) {
      listener.onError(late.get() ? timeout : error);
    }

    @Override
    public void onClose() {
      listener.onClose();
    }
  }

  /** Fails the read past {@code max} bytes, with the failure the whole-answer path uses. */
  private static final class Capped extends FilterInputStream {
    private final long max;
    private final String what;
    private long read;

    Capped(InputStream in, long max, String what) {
      super(in);
      this.max = max;
      this.what = what;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count(1);
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = super.read(buffer, offset, length);
      if (n > 0) {
        count(n);
      }
      return n;
    }

    private void count(int n) throws IOException {
      read += n;
      if (read > max) {
        throw new IOException(new OutputTooLarge(what, max));
      }
    }
  }
}
