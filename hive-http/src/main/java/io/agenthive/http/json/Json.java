package io.agenthive.http.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.agenthive.common.FieldError;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The API's one JSON mapper: snake_case fields, ISO-8601 instants, and input limits (nesting depth,
 * number and string length) so a hostile body costs little before it is refused.
 */
public final class Json {
  static final int MAX_DEPTH = 64;
  private static final String NUL = "holds the character U+0000 (\\u0000), which is not accepted";

  public static final ObjectMapper MAPPER =
      new ObjectMapper(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder()
                          .maxNestingDepth(MAX_DEPTH)
                          .maxNumberLength(100)
                          .maxStringLength(1_000_000)
                          .build())
                  .build())
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private Json() {}

  public static byte[] bytes(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON for " + value.getClass(), e);
    }
  }

  /**
   * Parses what a client sent (a request body, a dashboard's message): as {@link #parse}, and a
   * string or name holding U+0000 is refused, naming where. No text of the hive holds one, and an
   * id holding one reached PostgreSQL as a persistence id it refuses: that entity's recovery failed
   * again and again and opened the journal's circuit breaker for the whole node.
   */
  public static JsonNode parseInput(byte[] body) {
    JsonNode node = parse(body);
    List<FieldError> errors = new ArrayList<>();
    findNul(node, "", errors);
    if (!errors.isEmpty()) {
      throw ApiError.invalid(errors);
    }
    return node;
  }

  private static void findNul(JsonNode node, String at, List<FieldError> errors) {
    if (errors.size() >= 10) {
      return; // enough to say what is wrong
    }
    if (node.isTextual() && node.asText().indexOf('\u0000') >= 0) {
      errors.add(new FieldError(at.isEmpty() ? "body" : at, NUL));
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        findNul(node.get(i), at + "[" + i + "]", errors);
      }
    } else if (node.isObject()) {
      for (var field : node.properties()) {
        String name = field.getKey();
        String path = at.isEmpty() ? name : at + "." + name;
        if (name.indexOf('\u0000') >= 0) {
          errors.add(new FieldError(path, NUL));
        }
        findNul(field.getValue(), path, errors);
      }
    }
  }

  /** Parses a request body; a malformed one is a client error with Jackson's reason. */
  public static JsonNode parse(byte[] body) {
    try {
      JsonNode node = MAPPER.readTree(body);
      if (node == null || node.isMissingNode()) {
        throw ApiError.badRequest("empty_body", "the request body is empty; send a JSON object");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw ApiError.badRequest(
          "malformed_json", "the body is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw ApiError.badRequest("malformed_json", "the body could not be read: " + e.getMessage());
    }
  }
}
