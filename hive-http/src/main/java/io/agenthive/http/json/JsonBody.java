package io.agenthive.http.json;

import static akka.http.javadsl.server.Directives.*;

import akka.http.javadsl.model.MediaTypes;
import akka.http.javadsl.model.RequestEntity;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.Route;
import akka.http.javadsl.unmarshalling.Unmarshaller;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * Reads a JSON request body: refuses other media types (415), reads at most the configured size
 * (413, enforced while streaming, before the body is whole), and parses bytes so invalid UTF-8 is a
 * 400 rather than silently replaced characters.
 */
public final class JsonBody {
  private JsonBody() {}

  public static Route json(long maxBytes, Function<JsonNode, Route> inner) {
    return json(maxBytes, false, inner);
  }

  /**
   * The same for bodies that carry secrets (passwords, tokens): a malformed one is refused without
   * Jackson's reason, which may quote the text it could not read.
   */
  public static Route secretJson(long maxBytes, Function<JsonNode, Route> inner) {
    return json(maxBytes, true, inner);
  }

  private static Route json(long maxBytes, boolean quiet, Function<JsonNode, Route> inner) {
    return extractRequestEntity(
        requestEntity -> {
          if (!requestEntity.getContentType().mediaType().equals(MediaTypes.APPLICATION_JSON)) {
            return refuseAfterReading(
                requestEntity,
                maxBytes,
                new ApiError(
                    StatusCodes.UNSUPPORTED_MEDIA_TYPE,
                    "unsupported_media_type",
                    "send the body as application/json (got "
                        + requestEntity.getContentType()
                        + ")",
                    List.of(),
                    null));
          }
          OptionalLong length = requestEntity.getContentLengthOption();
          if (length.isPresent() && length.getAsLong() > maxBytes) {
            return refuseAfterReading(
                requestEntity,
                maxBytes,
                new ApiError(
                    StatusCodes.PAYLOAD_TOO_LARGE,
                    "body_too_large",
                    "the body has "
                        + length.getAsLong()
                        + " bytes; at most "
                        + maxBytes
                        + " are accepted here",
                    List.of(),
                    null));
          }
          return withSizeLimit(
              maxBytes,
              () ->
                  entity(
                      Unmarshaller.entityToByteString(),
                      bytes ->
                          inner.apply(
                              quiet
                                  ? parseQuietly(bytes.toArray())
                                  : Json.parseInput(bytes.toArray()))));
        });
  }

  /**
   * Answers {@code refusal} once the body is read and dropped, if it is small enough to read (up to
   * 16 times the limit): closing a connection with unread bytes makes the peer's TCP stack reset
   * it, and a client may then lose the answer. Larger bodies are refused at once.
   */
  private static Route refuseAfterReading(RequestEntity entity, long maxBytes, ApiError refusal) {
    OptionalLong length = entity.getContentLengthOption();
    if (entity.isStrict() || length.isEmpty() || length.getAsLong() > 16 * maxBytes) {
      throw refusal;
    }
    return extractMaterializer(
        mat ->
            onComplete(
                entity.withoutSizeLimit().discardBytes(mat).completionStage(),
                drained -> {
                  throw refusal;
                }));
  }

  private static JsonNode parseQuietly(byte[] body) {
    try {
      return Json.parseInput(body);
    } catch (ApiError e) {
      throw e.code().equals("malformed_json")
          ? ApiError.badRequest("malformed_json", "the body is not valid JSON")
          : e;
    }
  }
}
