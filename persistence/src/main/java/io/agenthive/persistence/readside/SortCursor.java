package io.agenthive.persistence.readside;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A cursor of a sorted list: the sort key's value and the creation offset of the row it was taken
 * at, not the row's id. A row's key may change while someone pages (a task's status, an agent's
 * counts); comparing with the values the page was read at keeps the next page right after the last
 * one, with no row shown twice or passed over. Opaque to callers (base64url of {@code
 * n|t:offset:value}, a number or a text).
 */
record SortCursor(Object value, long offset) {
  private static final String PREFIX = "s_";

  String encode() {
    String kind = value instanceof Number ? "n" : "t";
    String text = value instanceof Number n ? Long.toString(n.longValue()) : String.valueOf(value);
    return PREFIX
        + Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString((kind + ":" + offset + ":" + text).getBytes(StandardCharsets.UTF_8));
  }

  /** The cursor in {@code token}; null for anything this class did not make. */
  static SortCursor decode(String token) {
    if (token == null || !token.startsWith(PREFIX)) {
      return null;
    }
    try {
      String plain =
          new String(
              Base64.getUrlDecoder().decode(token.substring(PREFIX.length())),
              StandardCharsets.UTF_8);
      int first = plain.indexOf(':');
      int second = plain.indexOf(':', first + 1);
      if (first != 1 || second < 0) {
        return null;
      }
      long offset = Long.parseLong(plain.substring(first + 1, second));
      String text = plain.substring(second + 1);
      return switch (plain.charAt(0)) {
        case 'n' -> new SortCursor(Long.parseLong(text), offset);
        case 't' -> new SortCursor(text, offset);
        default -> null;
      };
    } catch (IllegalArgumentException e) {
      return null; // not base64, or not a number where one belongs
    }
  }
}
