package io.agenthive.logging;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * The log message with every control character escaped ({@code \n} as {@code \\n}, others as {@code
 * \\uXXXX}): the one place values from callers (an MCP client's name, an agent's, a username) are
 * made safe for a text log, so none can end a line and forge the next one. The JSON format escapes
 * them by itself. Used as {@code %safeMsg} by {@link TextLogging}.
 */
public final class SafeMessage extends MessageConverter {
  @Override
  public String convert(ILoggingEvent event) {
    return escape(super.convert(event));
  }

  static String escape(String text) {
    if (text == null || text.chars().noneMatch(Character::isISOControl)) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (Character.isISOControl(c)) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }
}
