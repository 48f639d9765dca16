package io.agenthive.http;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The shell commands of the README's {@code ```sh} blocks that call the hub: each {@code curl}
 * command whole (its continuation lines and multi-line quoted bodies joined), and the variable
 * assignments they rely on ({@code H=...}). Commands of the launcher ({@code ./hive ...}) are left
 * out: other tests run those.
 */
final class ReadmeCommands {
  record Command(int line, String text) {
    /** {@code H="..."} alone; not {@code HIVE_X=1 ./hive}, a variable for one command. */
    boolean isAssignment() {
      return text.matches("[A-Z_]+=(\"[^\"]*\"|'[^']*'|\\S*)");
    }
  }

  private ReadmeCommands() {}

  static List<Command> read(Path readme) throws IOException {
    List<String> lines = Files.readAllLines(readme);
    List<Command> commands = new ArrayList<>();
    boolean inShell = false;
    StringBuilder current = null;
    int start = 0;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.startsWith("```")) {
        inShell = !inShell && line.trim().equals("```sh");
        current = null;
        continue;
      }
      if (!inShell) {
        continue;
      }
      if (current == null) {
        if (line.isBlank() || line.trim().startsWith("#")) {
          continue;
        }
        current = new StringBuilder();
        start = i + 1;
      } else {
        current.append('\n');
      }
      current.append(line);
      if (!continues(current)) {
        String text = current.toString();
        if (text.contains("curl ") || new Command(start, text).isAssignment()) {
          commands.add(new Command(start, text));
        }
        current = null;
      }
    }
    return commands;
  }

  /** Whether a command goes on to the next line: a trailing backslash, or a quote left open. */
  private static boolean continues(CharSequence text) {
    String s = text.toString();
    if (s.endsWith("\\")) {
      return true;
    }
    boolean single = false;
    boolean dbl = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\'' && !dbl) {
        single = !single;
      } else if (c == '"' && !single) {
        dbl = !dbl;
      } else if (c == '#'
          && !single
          && !dbl
          && (i == 0 || Character.isWhitespace(s.charAt(i - 1)))) {
        int end = s.indexOf('\n', i);
        if (end < 0) {
          break; // a comment to the end of the text
        }
        i = end;
      }
    }
    return single || dbl;
  }
}
