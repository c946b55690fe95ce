package org.ollamaairgap.stager.progress;

import java.util.function.Consumer;
import org.ollamaairgap.common.model.ModelName;
import org.ollamaairgap.common.progress.PullListener;

/**
 * One log line per retry, so that an operator watching a slow or failing pull sees why it waits:
 * {@code llama3:8b: manifest: connection refused; attempt 1 of 7 failed, next in 1s}. The driver
 * words what failed and the attempt ({@link org.ollamaairgap.stager.driver.Retries}).
 */
public final class RetryLog implements PullListener {
  private final Consumer<String> sink;

  public RetryLog(Consumer<String> sink) {
    this.sink = sink;
  }

  @Override
  public void retry(ModelName model, String reason) {
    sink.accept(model.displayShortest() + ": " + reason);
  }
}
