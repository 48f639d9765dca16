package io.agenthive.launcher;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What a command run in the test's JVM printed on stdout or stderr, captured while it runs (the
 * test's own log lines go there too: callers pick out the command's lines).
 */
final class Printed {
  /** A command's run; its assertions throw as usual. */
  interface Command {
    void run() throws Exception;
  }

  private Printed() {}

  static String stdoutOf(Command command) throws Exception {
    return captured(command, () -> System.out, System::setOut);
  }

  static String stderrOf(Command command) throws Exception {
    return captured(command, () -> System.err, System::setErr);
  }

  private static String captured(
      Command command, Supplier<PrintStream> current, Consumer<PrintStream> set) throws Exception {
    PrintStream saved = current.get();
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    set.accept(new PrintStream(captured, true));
    try {
      command.run();
    } finally {
      set.accept(saved);
    }
    return captured.toString();
  }
}
