package io.agenthive.common;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** What really failed behind the wrappers that futures put around an exception. */
public final class Failures {
  private Failures() {}

  public static Throwable cause(Throwable error) {
    Throwable t = error;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
