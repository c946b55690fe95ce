package org.ollamaairgap.common.verify;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * Everything a verification found.
 *
 * @param root the store root
 * @param mode {@code full} or {@code size}
 * @param parallelism blobs hashed at once
 * @param models one entry per manifest found, sorted by name
 * @param blobsChecked distinct blobs checked
 * @param bytesChecked bytes hashed (full) or accounted for by size (size mode)
 * @param unreferencedBlobs blobs no manifest references
 * @param unreferencedBytes their total size
 * @param findings every problem, errors first
 * @param durationMillis wall time
 */
public record VerificationReport(
    String root,
    String mode,
    int parallelism,
    List<ModelResult> models,
    int blobsChecked,
    long bytesChecked,
    int unreferencedBlobs,
    long unreferencedBytes,
    List<Finding> findings,
    long durationMillis) {

  public VerificationReport {
    models = List.copyOf(models);
    findings = List.copyOf(findings);
  }

  @JsonProperty("errors")
  public long errors() {
    return count(Severity.ERROR);
  }

  @JsonProperty("warnings")
  public long warnings() {
    return count(Severity.WARNING);
  }

  /** Whether Ollama may start: no error findings. */
  @JsonProperty("ok")
  public boolean ok() {
    return errors() == 0;
  }

  private long count(Severity severity) {
    return findings.stream().filter(f -> f.severity() == severity).count();
  }
}
