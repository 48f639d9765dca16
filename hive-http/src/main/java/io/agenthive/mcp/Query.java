package io.agenthive.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.StringJoiner;

/** A query string from the arguments that were given, each value encoded. */
final class Query {
  private Query() {}

  static String of(Args args, String... names) {
    StringJoiner q = new StringJoiner("&", "?", "").setEmptyValue("");
    for (String name : names.length == 0 ? args.names() : java.util.List.of(names)) {
      JsonNode v = args.raw(name);
      if (v != null && !v.isNull()) {
        q.add(name + "=" + URLEncoder.encode(v.asText(), StandardCharsets.UTF_8));
      }
    }
    return q.toString();
  }
}
