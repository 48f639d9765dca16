package io.agenthive.security;

import io.agenthive.access.Access;
import io.agenthive.common.Failures;
import io.agenthive.common.HiveException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletionStage;

/**
 * Safe by default and still one command: a hub with no API key at all makes an admin key, prints it
 * once (to the console, never to the log) and keeps it owner-only in {@code admin-key-file}, where
 * the command line, the demo and the tests find it. On a cluster only the first node to ask makes
 * one (the access registry refuses a second).
 */
public final class FirstStart {
  private FirstStart() {}

  /** Whether a key was made now. */
  public static CompletionStage<Boolean> ensureAdminKey(
      Access access, SecuritySettings settings, PrintStream console, String url) {
    Secrets.Issued key = Secrets.issue(Secrets.KEY_PREFIX);
    return access
        .createFirstKey(key.id(), key.hash())
        .handle(
            (made, error) -> {
              if (error != null) {
                Throwable cause = Failures.cause(error);
                if (cause instanceof HiveException h && h.kind() == HiveException.Kind.CONFLICT) {
                  return false; // the hub has keys: nothing to do
                }
                throw new IllegalStateException("could not make the first admin key", cause);
              }
              try {
                OwnerOnlyFiles.write(settings.adminKeyFile(), key.text(), true);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
              console.println();
              console.println(
                  "First start: an admin API key was made. It is shown only this once:");
              console.println();
              console.println("  " + key.text());
              console.println();
              console.println(
                  "It is kept, readable by you only, in "
                      + settings.adminKeyFile()
                      + " (./hive keys and the tests read it there). Try:");
              console.println(
                  "  curl -H \"Authorization: Bearer $(cat "
                      + settings.adminKeyFile()
                      + ")\" "
                      + url
                      + "/api/hive/status");
              console.println();
              return true;
            });
  }
}
