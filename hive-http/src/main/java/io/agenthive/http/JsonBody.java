package io.agenthive.http;

import static akka.http.javadsl.server.Directives.*;

import akka.http.javadsl.model.MediaTypes;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.Route;
import akka.http.javadsl.unmarshalling.Unmarshaller;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.function.Function;

/**
 * Reads a JSON request body: refuses other media types (415), reads at most the configured size
 * (413, enforced while streaming, before the body is whole), and parses bytes so invalid UTF-8
 * is a 400 rather than silently replaced characters.
 */
final class JsonBody {
  private JsonBody() {}

  static Route json(long maxBytes, Function<JsonNode, Route> inner) {
    return json(maxBytes, false, inner);
  }

  /**
   * The same for bodies that carry secrets (passwords, tokens): a malformed one is refused
   * without Jackson's reason, which may quote the text it could not read.
   */
  static Route secretJson(long maxBytes, Function<JsonNode, Route> inner) {
    return json(maxBytes, true, inner);
  }

  private static Route json(long maxBytes, boolean quiet, Function<JsonNode, Route> inner) {
    return extractRequestEntity(requestEntity -> {
      if (!requestEntity.getContentType().mediaType().equals(MediaTypes.APPLICATION_JSON)) {
        throw new ApiError(StatusCodes.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
            "send the body as application/json (got " + requestEntity.getContentType() + ")",
            List.of(), null);
      }
      return withSizeLimit(maxBytes, () -> entity(Unmarshaller.entityToByteString(),
          bytes -> inner.apply(quiet ? parseQuietly(bytes.toArray())
              : Json.parse(bytes.toArray()))));
    });
  }

  private static JsonNode parseQuietly(byte[] body) {
    try {
      return Json.parse(body);
    } catch (ApiError e) {
      throw e.code().equals("malformed_json")
          ? ApiError.badRequest("malformed_json", "the body is not valid JSON") : e;
    }
  }
}
