package org.ollamaairgap.stager.run;

import java.util.List;

/**
 * How a staging run ended.
 *
 * @param exitCode 0 all done, 1 a model failed, 2 bad usage, 3 environment problem
 * @param reason one line for people and the termination log
 * @param models every model of the run, in the order given
 */
public record RunResult(int exitCode, String reason, List<ModelReport> models) {
  public static final int OK = 0;
  public static final int MODEL_FAILED = 1;
  public static final int USAGE = 2;
  public static final int ENVIRONMENT = 3;

  public RunResult {
    models = List.copyOf(models);
  }
}
