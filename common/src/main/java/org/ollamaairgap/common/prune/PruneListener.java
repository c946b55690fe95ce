package org.ollamaairgap.common.prune;

import java.nio.file.Path;

/** Hears every deletion a prune makes, for the log, the summary and the metric. */
@FunctionalInterface
public interface PruneListener {
  /**
   * One file or directory removed from the store.
   *
   * @param path where it was
   * @param bytes its size (a directory: the manifest bytes in it)
   * @param model the model it belonged to, or empty
   * @param why the rule that removed it, for the log line
   */
  void deleted(Path path, long bytes, String model, String why);
}
