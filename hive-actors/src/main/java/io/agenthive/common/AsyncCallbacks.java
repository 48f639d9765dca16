package io.agenthive.common;

/**
 * Where asynchronous callbacks run. Akka's Java API hands out Scala-backed futures whose non-async
 * callbacks ({@code thenApply}, {@code whenComplete}) run as their async twins on the JVM's common
 * pool; on a machine with two cores that pool has one thread, and then every such callback starts a
 * new thread of its own (measured: the hub spent most of a burst of submissions starting threads).
 * Launchers call {@link #useCommonPool} first thing, before anything touches the common pool, so it
 * has at least two threads.
 */
public final class AsyncCallbacks {
  static final String PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

  private AsyncCallbacks() {}

  public static void useCommonPool() {
    if (System.getProperty(PARALLELISM) == null) {
      int cores = Runtime.getRuntime().availableProcessors();
      System.setProperty(PARALLELISM, Integer.toString(Math.max(2, cores)));
    }
  }
}
