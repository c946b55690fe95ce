package org.ollamaairgap.stager.run;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.List;
import org.ollamaairgap.common.model.Digest;
import org.ollamaairgap.stager.inventory.InventoryReader;

/**
 * How a staging run ended.
 *
 * @param exitCode 0 all done, 1 a model failed, 2 bad usage, 3 environment problem
 * @param reason one line for people and the termination log
 * @param models every model of the run, in the order given
 * @param verdicts the same models' outcomes with their names as parsed, for the inventory: no name
 *     is printed into a report and parsed back
 * @param inventoryDigest the SHA-256 of the inventory file the run wrote, or null when it wrote
 *     none (bad usage, a run stopped by the environment)
 */
public record RunResult(
    int exitCode,
    String reason,
    List<ModelReport> models,
    @JsonIgnore List<InventoryReader.Verdict> verdicts,
    @JsonIgnore Digest inventoryDigest) {
  public static final int OK = 0;
  public static final int MODEL_FAILED = 1;
  public static final int USAGE = 2;
  public static final int ENVIRONMENT = 3;

  public RunResult {
    models = List.copyOf(models);
    verdicts = List.copyOf(verdicts);
    if (verdicts.size() != models.size()) {
      throw new IllegalArgumentException(
          verdicts.size() + " verdicts for " + models.size() + " models");
    }
  }

  /** A run that wrote no inventory file. */
  public RunResult(
      int exitCode,
      String reason,
      List<ModelReport> models,
      List<InventoryReader.Verdict> verdicts) {
    this(exitCode, reason, models, verdicts, null);
  }

  /** The same result with the digest of the inventory file written. */
  public RunResult withInventoryDigest(Digest digest) {
    return new RunResult(exitCode, reason, models, verdicts, digest);
  }

  /** A run that stopped before any model was known (bad usage). */
  static RunResult none(int exitCode, String reason) {
    return new RunResult(exitCode, reason, List.of(), List.of());
  }
}
