package io.agenthive.skill.guard;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Reads an HTTP answer's body while it streams in, never more than {@code maxBytes}: past it the
 * subscription is cancelled (the JDK client then closes the connection) and the body fails with
 * {@link OutputTooLarge}, so a 200 MB or endless answer costs at most the limit in memory. The
 * JDK's request timeout ends at the answer's headers; a body that stalls after them is ended by
 * {@link #cancel}, which the caller calls when its own deadline passes.
 */
public final class CappedBody implements HttpResponse.BodyHandler<byte[]> {
  private final long maxBytes;
  private final String what;
  private final AtomicReference<Flow.Subscription> subscription = new AtomicReference<>();
  private volatile boolean cancelled;

  /** {@code what} names the answer in the error, e.g. "the answer of api.example.com:443". */
  public CappedBody(long maxBytes, String what) {
    this.maxBytes = maxBytes;
    this.what = what;
  }

  @Override
  public HttpResponse.BodySubscriber<byte[]> apply(HttpResponse.ResponseInfo info) {
    return new Capped();
  }

  /** Stops reading a body still streaming in (a stalled one); harmless once it has ended. */
  public void cancel() {
    cancelled = true;
    Flow.Subscription s = subscription.get();
    if (s != null) {
      s.cancel();
    }
  }

  private final class Capped implements HttpResponse.BodySubscriber<byte[]> {
    private final CompletableFuture<byte[]> body = new CompletableFuture<>();
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    @Override
    public CompletionStage<byte[]> getBody() {
      return body;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription.set(s);
      if (cancelled) {
        s.cancel();
        return;
      }
      s.request(Long.MAX_VALUE); // the JDK hands over what arrived; the cap below bounds it
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
      if (body.isDone()) {
        return;
      }
      for (ByteBuffer b : buffers) {
        if (bytes.size() + (long) b.remaining() > maxBytes) {
          subscription.get().cancel();
          body.completeExceptionally(new OutputTooLarge(what, maxBytes));
          return;
        }
        byte[] chunk = new byte[b.remaining()];
        b.get(chunk);
        bytes.writeBytes(chunk);
      }
    }

    @Override
    public void onError(Throwable error) {
      body.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
      body.complete(bytes.toByteArray());
    }
  }
}
