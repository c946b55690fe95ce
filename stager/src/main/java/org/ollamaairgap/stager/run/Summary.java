package org.ollamaairgap.stager.run;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.ollamaairgap.stager.inventory.Inventory;
import org.ollamaairgap.stager.prune.PruneReport;

/**
 * The JSON summary of a run, printed as one line on stdout and written to {@code --report}.
 *
 * @param outcome {@code ok}, {@code failed}, {@code usage} or {@code environment}, as the exit code
 * @param exitCode the process exit code
 * @param reason the one-line reason, as in the termination log
 * @param modelsDir the store staged into
 * @param driver the driver used
 * @param startedAt ISO-8601 start time
 * @param durationSeconds wall time of the run, before lingering
 * @param models per model, in the order given
 * @param inventory what the store holds for these models after the run, with the value for the
 *     verifier's {@code --expect}; absent when nothing was attempted (bad usage)
 * @param prune what {@code --prune} removed (or, in a dry run, would remove); absent when off or
 *     when the run did not get that far
 */
public record Summary(
    String outcome,
    int exitCode,
    String reason,
    String modelsDir,
    String driver,
    String startedAt,
    double durationSeconds,
    List<ModelReport> models,
    @JsonInclude(JsonInclude.Include.NON_NULL) Inventory inventory,
    @JsonInclude(JsonInclude.Include.NON_NULL) PruneReport prune) {

  /**
   * The digest of the store's inventory file this run wrote: the value for the verifier's {@code
   * --inventory-digest} ({@code VERIFIER_INVENTORY_DIGEST}); absent when none was written.
   */
  @JsonProperty(value = "inventoryDigest", access = JsonProperty.Access.READ_ONLY)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public String inventoryDigest() {
    return inventory == null ? null : inventory.inventoryDigest();
  }

  /** The same summary with another exit code and reason. */
  public Summary with(int exitCode, String reason) {
    return new Summary(
        outcome(exitCode),
        exitCode,
        reason,
        modelsDir,
        driver,
        startedAt,
        durationSeconds,
        models,
        inventory,
        prune);
  }

  /** The same summary with the inventory. */
  public Summary withInventory(Inventory inventory) {
    return new Summary(
        outcome,
        exitCode,
        reason,
        modelsDir,
        driver,
        startedAt,
        durationSeconds,
        models,
        inventory,
        prune);
  }

  /** The same summary with what the prune did. */
  public Summary withPrune(PruneReport prune) {
    return new Summary(
        outcome,
        exitCode,
        reason,
        modelsDir,
        driver,
        startedAt,
        durationSeconds,
        models,
        inventory,
        prune);
  }

  /** The outcome word for an exit code. */
  public static String outcome(int exitCode) {
    return switch (exitCode) {
      case RunResult.OK -> "ok";
      case RunResult.MODEL_FAILED -> "failed";
      case RunResult.USAGE -> "usage";
      default -> "environment";
    };
  }
}
