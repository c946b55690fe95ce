package org.ollamaairgap.common.verify;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

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
 * @param findings the first {@link #SHOWN_PER_KIND} problems of each kind, errors first
 * @param counts how many problems of each kind were found, including those not in {@code findings}
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
    Map<FindingKind, Long> counts,
    long durationMillis) {

  /** Findings of one kind printed and kept in memory; the rest are only counted. */
  public static final int SHOWN_PER_KIND = Findings.SHOWN_PER_KIND;

  public VerificationReport {
    models = List.copyOf(models);
    findings = List.copyOf(findings);
    counts = new EnumMap<>(counts.isEmpty() ? new EnumMap<>(FindingKind.class) : counts);
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

  /** How many findings of {@code kind} were found but are not in {@link #findings()}. */
  public long omitted(FindingKind kind) {
    return Math.max(0, counts.getOrDefault(kind, 0L) - SHOWN_PER_KIND);
  }

  private long count(Severity severity) {
    return counts.entrySet().stream()
        .filter(e -> e.getKey().severity() == severity)
        .mapToLong(Map.Entry::getValue)
        .sum();
  }
}
