package org.ollamaairgap.app.run;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Threads that never keep the process alive: a program's exit code is what {@code main} returns,
 * not what a forgotten progress thread waits for.
 */
public final class DaemonThreads {
  private DaemonThreads() {}

  /** Daemon threads named {@code name}, or {@code name-2}, {@code name-3}, ... after the first. */
  public static ThreadFactory named(String name) {
    AtomicInteger count = new AtomicInteger();
    return task -> {
      int n = count.incrementAndGet();
      Thread thread = new Thread(task, n == 1 ? name : name + "-" + n);
      thread.setDaemon(true);
      return thread;
    };
  }
}
