package io.agenthive.skill.a2a;

import io.agenthive.skill.guard.OutputTooLarge;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Splits an HTTP answer's body into lines (at {@code \n}, a trailing {@code \r} dropped) and hands
 * them to {@code lines}, counting bytes as they arrive: the JDK's own line subscriber holds a line
 * until its newline comes, so a remote agent sending gigabytes without one would fill the hub's
 * memory before any cap could look at it. Here the line being read and the whole body are each
 * capped at {@code maxBytes}: past it the subscription is cancelled (the connection closed) and
 * {@code lines} gets an {@link OutputTooLarge} naming which cap was passed.
 */
final class CappedLines implements HttpResponse.BodySubscriber<Void> {
  private final Flow.Subscriber<String> lines;
  private final long maxBytes;
  private final String what;
  private final CompletableFuture<Void> body = new CompletableFuture<>();
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();
  private Flow.Subscription subscription;
  private long total;

  /** {@code what} names the stream in the error, e.g. "the event stream of host:port". */
  CappedLines(Flow.Subscriber<String> lines, long maxBytes, String what) {
    this.lines = lines;
    this.maxBytes = maxBytes;
    this.what = what;
  }

  @Override
  public CompletionStage<Void> getBody() {
    return body;
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    lines.onSubscribe(s); // cancelling downstream closes the connection; requests are its own
  }

  @Override
  public void onNext(List<ByteBuffer> buffers) {
    if (body.isDone()) {
      return;
    }
    for (ByteBuffer b : buffers) {
      total += b.remaining();
      while (b.hasRemaining()) {
        byte next = b.get();
        if (next == '\n') {
          lines.onNext(decodeLine());
        } else if (line.size() >= maxBytes) {
          overCap("a line of " + what);
          return;
        } else {
          line.write(next);
        }
      }
      if (total > maxBytes) { // after the line's own check: a too-long line is named as such
        overCap(what);
        return;
      }
    }
  }

  private String decodeLine() {
    byte[] bytes = line.toByteArray();
    line.reset();
    boolean crlf = bytes.length > 0 && bytes[bytes.length - 1] == '\r';
    return new String(bytes, 0, crlf ? bytes.length - 1 : bytes.length, StandardCharsets.UTF_8);
  }

  private void overCap(String which) {
    subscription.cancel();
    line.reset();
    OutputTooLarge tooLarge = new OutputTooLarge(which, maxBytes);
    lines.onError(tooLarge);
    body.completeExceptionally(tooLarge);
  }

  @Override
  public void onError(Throwable error) {
    if (!body.isDone()) {
      lines.onError(error);
      body.completeExceptionally(error);
    }
  }

  @Override
  public void onComplete() {
    if (body.isDone()) {
      return;
    }
    if (line.size() > 0) {
      lines.onNext(decodeLine()); // a last line without its newline
    }
    lines.onComplete();
    body.complete(null);
  }
}
