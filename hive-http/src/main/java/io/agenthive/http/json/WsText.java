package io.agenthive.http.json;

import akka.http.javadsl.model.ws.Message;
import akka.stream.Materializer;
import akka.stream.javadsl.Sink;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Reads one WebSocket message as text, at most {@code maxChars} of it: a larger message (or a
 * binary one) becomes a problem to answer with an error, never a buffer that grows unbounded.
 */
public final class WsText {
  private WsText() {}

  /** Either the text or, when it could not be read, why. */
  public record Incoming(String text, String problem) {}

  public static CompletionStage<Incoming> read(Message m, int maxChars, Materializer mat) {
    if (!m.isText()) {
      m.asBinaryMessage().getStreamedData().runWith(Sink.ignore(), mat);
      return CompletableFuture.completedFuture(
          new Incoming(null, "binary messages are not" + " understood; send JSON text"));
    }
    return m.asTextMessage()
        .getStreamedText()
        .limitWeighted(maxChars, s -> (long) s.length())
        .runFold(new StringBuilder(), StringBuilder::append, mat)
        .handle(
            (sb, error) ->
                error == null
                    ? new Incoming(sb.toString(), null)
                    : new Incoming(null, "message larger than " + maxChars + " characters"));
  }
}
