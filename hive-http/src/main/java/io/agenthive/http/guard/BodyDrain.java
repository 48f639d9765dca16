package io.agenthive.http.guard;

import static akka.http.javadsl.server.Directives.*;

import akka.http.javadsl.model.AttributeKey;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.RequestEntity;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.Route;
import akka.stream.Materializer;
import akka.stream.javadsl.Sink;
import akka.util.ByteString;
import io.agenthive.http.json.ApiError;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Every request's body is read to its end. A route that answers without reading a streamed body (a
 * GET with a body, a refusal before the body is looked at) would otherwise close the connection
 * with unread bytes, and the client's TCP stack turns that into a reset: a fuzzed {@code GET
 * /metrics} with a body got a reset instead of an answer. Two steps, so that nothing is kept for a
 * caller before it is admitted:
 *
 * <ul>
 *   <li>{@link #drained}, inside the guard: a body that did not arrive whole is read before the
 *       routes see it, kept up to {@code hive.http.max-body-size}; past that limit it is read and
 *       dropped (up to {@value #DRAIN_FACTOR} times the limit) and refused with 413.
 *   <li>{@link #discardingUnread}, outside the checks: once a refusal (wrong Host or Origin, bad
 *       URI, no credentials, rate limited) is decided, the body nobody read is read and dropped as
 *       it streams in, at most {@value #DRAIN_FACTOR} times the limit, so a stranger's body costs
 *       no memory (it was kept before the guard ran, up to 1 MiB per connection).
 * </ul>
 *
 * Uploads stream on to their own limit and are left alone.
 */
public final class BodyDrain {
  /** Past this multiple of the limit a body is refused without reading it to its end. */
  static final int DRAIN_FACTOR = 16;

  private BodyDrain() {}

  public static Route drained(long maxBytes, Supplier<Route> inner) {
    return extractRequest(
        request -> {
          RequestEntity entity = request.entity();
          if (entity.isStrict() || entity.isKnownEmpty() || streamsOn(request)) {
            return inner.get();
          }
          request.getAttribute(READ).ifPresent(read -> read.set(true));
          OptionalLong length = entity.getContentLengthOption();
          if (length.isPresent() && length.getAsLong() > DRAIN_FACTOR * maxBytes) {
            throw tooLarge(length.getAsLong(), maxBytes);
          }
          return extractMaterializer(
              mat ->
                  onSuccess(
                      entity
                          .withoutSizeLimit()
                          .getDataBytes()
                          .runWith(Sink.fold(new Read(maxBytes), Read::add), mat),
                      read -> {
                        if (read.total > maxBytes) {
                          throw tooLarge(read.total, maxBytes);
                        }
                        return mapRequest(
                            r ->
                                r.withEntity(
                                    HttpEntities.create(entity.getContentType(), read.kept)),
                            inner);
                      }));
        });
  }

  /**
   * Once {@code inner} has answered or refused, reads and drops a streamed body nobody read (a body
   * {@link #drained} read is marked so, and left alone). {@code inner} must not throw: exceptions
   * are handled inside it, so that every outcome passes here.
   */
  public static Route discardingUnread(long maxBytes, Supplier<Route> inner) {
    return extractRequest(
        request -> {
          RequestEntity entity = request.entity();
          if (entity.isStrict()
              || entity.isKnownEmpty()
              || streamsOn(request)
              // its client waits for a 100 Continue before sending the body: reading it would ask
              // for the body (and send that 100) only to drop it
              || request.getHeader("Expect").isPresent()) {
            return inner.get();
          }
          AtomicBoolean read = new AtomicBoolean();
          return extractMaterializer(
              mat ->
                  mapRouteResultFuture(
                      result ->
                          result.whenComplete((r, e) -> dropUnread(entity, read, maxBytes, mat)),
                      () -> mapRequest(r -> r.addAttribute(READ, read), inner)));
        });
  }

  /** Reads and drops {@code entity} unless a route read it ({@code read}), up to the bound. */
  private static void dropUnread(
      RequestEntity entity, AtomicBoolean read, long maxBytes, Materializer mat) {
    if (!read.get()) {
      entity
          .withoutSizeLimit()
          .getDataBytes()
          .limitWeighted(DRAIN_FACTOR * maxBytes, bytes -> (long) bytes.size())
          .runWith(Sink.ignore(), mat)
          // past the bound: the connection is closed, as it must be
          .exceptionally(tooLarge -> null);
    }
  }

  /** Set by {@link #drained} when it reads the body, so that it is not read a second time. */
  private static final AttributeKey<AtomicBoolean> READ =
      AttributeKey.create("hive-body-read", AtomicBoolean.class);

  /** Routes that read their body as a stream of their own, with their own limit. */
  private static boolean streamsOn(HttpRequest request) {
    return request.getUri().path().equals("/api/tasks/upload");
  }

  private static ApiError tooLarge(long size, long maxBytes) {
    return new ApiError(
        StatusCodes.PAYLOAD_TOO_LARGE,
        "body_too_large",
        "the body has "
            + (size > DRAIN_FACTOR * maxBytes ? "more than " + DRAIN_FACTOR * maxBytes : size)
            + " bytes; at most "
            + maxBytes
            + " are accepted here (hive.http.max-body-size)",
        List.of(),
        null);
  }

  /** The body so far: kept while within the limit, only counted past it. */
  private static final class Read {
    private final long max;
    ByteString kept = ByteString.emptyByteString();
    long total;

    Read(long max) {
      this.max = max;
    }

    Read add(ByteString next) {
      total += next.size();
      if (total > DRAIN_FACTOR * max) {
        throw tooLarge(total, max); // ends the read: past this, refuse rather than drain
      }
      if (total <= max) {
        kept = kept.concat(next);
      }
      return this;
    }
  }
}
