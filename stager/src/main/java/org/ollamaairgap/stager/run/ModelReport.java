package org.ollamaairgap.stager.run;

import org.ollamaairgap.common.progress.Outcome;

/**
 * One model in the JSON summary.
 *
 * @param name the full name, {@code registry.ollama.ai/library/llama3:8b}
 * @param displayName the short name, as {@code ollama list} and the metrics show it
 * @param manifestDigest SHA-256 of the manifest bytes in the store ({@code sha256:...}); what the
 *     verifier's {@code --expect} pins. Null when no manifest was staged.
 * @param sizeBytes config plus layers, as far as known
 * @param blobCount distinct blobs the manifest references
 * @param outcome {@code done}, {@code failed}, or {@code skipped} when the run stopped first
 * @param reason why it failed or was skipped; null when done
 * @param durationSeconds wall time from the start of its pull to done/failed
 * @param bytesTransferred bytes received over the network for it in this run
 * @param retries retried requests or parts
 */
public record ModelReport(
    String name,
    String displayName,
    String manifestDigest,
    long sizeBytes,
    int blobCount,
    Outcome outcome,
    String reason,
    double durationSeconds,
    long bytesTransferred,
    long retries) {}
