package io.agenthive.launcher;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One command's {@code --name value} options and {@code --flag}s. Every name is declared up front,
 * so a typo is refused instead of ignored, and every value is checked when it is read: each mistake
 * becomes one {@link UsageError} that names the option and shows a good value.
 */
public final class CommandOptions {
  private final String command;
  private final Map<String, List<String>> values = new LinkedHashMap<>();

  private CommandOptions(String command) {
    this.command = command;
  }

  /**
   * @param command as the user types it, e.g. {@code "./hive replay"}, for the messages
   * @param valued options that take a value (without the dashes)
   * @param flags options that stand alone
   */
  public static CommandOptions parse(
      String command, List<String> args, Set<String> valued, Set<String> flags) throws UsageError {
    CommandOptions options = new CommandOptions(command);
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      String name = arg.startsWith("--") ? arg.substring(2) : null;
      if (name != null && flags.contains(name)) {
        options.values.computeIfAbsent(name, n -> new ArrayList<>()).add("true");
      } else if (name != null && valued.contains(name)) {
        if (i + 1 >= args.size() || args.get(i + 1).startsWith("--")) {
          throw new UsageError(arg + " needs a value (" + command + " " + arg + " <value>).");
        }
        options.values.computeIfAbsent(name, n -> new ArrayList<>()).add(args.get(++i));
      } else {
        List<String> known = new ArrayList<>();
        valued.forEach(v -> known.add("--" + v));
        flags.forEach(f -> known.add("--" + f));
        throw new UsageError(
            known.isEmpty()
                ? command
                    + " takes no options ("
                    + arg
                    + "): it is configured by environment"
                    + " variables, which ./hive help lists."
                : command
                    + " does not take "
                    + arg
                    + "; it takes "
                    + String.join(", ", known.stream().sorted().toList())
                    + " (./hive help).");
      }
    }
    return options;
  }

  public boolean flag(String name) {
    return values.containsKey(name);
  }

  public String text(String name, String fallback) {
    List<String> given = values.get(name);
    return given == null ? fallback : given.get(given.size() - 1);
  }

  /** Every value of an option that may be repeated, in order. */
  public List<String> all(String name) {
    return values.getOrDefault(name, List.of());
  }

  public String required(String name, String example) throws UsageError {
    String value = text(name, null);
    if (value == null || value.isBlank()) {
      throw new UsageError(command + " needs --" + name + ", e.g. --" + name + " " + example + ".");
    }
    return value;
  }

  /** A whole number of at least {@code min}. */
  public long whole(String name, long fallback, long min) throws UsageError {
    String value = text(name, null);
    if (value == null) {
      return fallback;
    }
    try {
      long n = Long.parseLong(value.trim());
      if (n >= min) {
        return n;
      }
    } catch (NumberFormatException e) {
      // falls through to the sentence below
    }
    throw new UsageError(
        "--" + name + " must be a whole number of at least " + min + ", not '" + value + "'.");
  }

  public int count(String name, int fallback, int min) throws UsageError {
    long n = whole(name, fallback, min);
    if (n > Integer.MAX_VALUE) {
      throw new UsageError("--" + name + " must be at most " + Integer.MAX_VALUE + ".");
    }
    return (int) n;
  }

  public Instant instant(String name, String example) throws UsageError {
    String value = required(name, example);
    try {
      return Instant.parse(value.trim());
    } catch (DateTimeParseException e) {
      throw new UsageError(
          "--"
              + name
              + " must be an ISO-8601 instant in UTC such as "
              + example
              + ", not '"
              + value
              + "'.");
    }
  }
}
