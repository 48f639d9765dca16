package io.agenthive.referenceworker;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * What really failed behind the wrappers futures put around an exception. The hub has the same few
 * lines (common.Failures in hive-actors); the worker keeps its own copy so that it depends on none
 * of the hub's modules and stays an example a worker in any language can be read against.
 */
final class Causes {
  private Causes() {}

  static Throwable unwrap(Throwable error) {
    Throwable t = error;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
