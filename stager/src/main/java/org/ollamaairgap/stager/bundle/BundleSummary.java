package org.ollamaairgap.stager.bundle;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The JSON summary of {@code stager export} or {@code stager import}: the last line of stdout (of
 * stderr when the tar stream owns stdout), and the {@code --report} file.
 *
 * @param command {@code stager export} or {@code stager import}
 * @param outcome {@code ok}, {@code failed}, {@code usage} or {@code environment}, as the exit code
 * @param modelsDir the store read (export) or filled (import)
 * @param bundle the bundle directory, or {@code -} for the tar stream
 * @param bytesHashed every byte hashed: copied, or checked in place on a resume
 * @param inventoryDigest the inventory the bundle carries (export) or the store now has from it
 *     (import): the verifier's {@code --inventory-digest}
 */
public record BundleSummary(
    String command,
    String outcome,
    int exitCode,
    String reason,
    String modelsDir,
    String bundle,
    String startedAt,
    double durationSeconds,
    long bytesHashed,
    List<Model> models,
    @JsonInclude(JsonInclude.Include.NON_NULL) String inventoryDigest) {

  /**
   * One model.
   *
   * @param outcome {@code done} or {@code failed}
   * @param reason why it failed, naming the file; null when done
   */
  public record Model(
      String name,
      String displayName,
      String manifestDigest,
      long sizeBytes,
      String outcome,
      @JsonInclude(JsonInclude.Include.NON_NULL) String reason) {}
}
