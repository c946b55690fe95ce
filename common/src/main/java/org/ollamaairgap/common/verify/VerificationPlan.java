package org.ollamaairgap.common.verify;

import java.nio.file.Path;

/**
 * What a verification is about to check, known after the walk and before any hashing.
 *
 * @param root the store root
 * @param hashing whether blob contents are hashed ({@code full}) or only sizes checked
 * @param parallelism how many blobs are hashed at once
 * @param manifests manifest files found at {@code manifests/*&#47;*&#47;*&#47;*}
 * @param blobs distinct blobs the manifests reference
 * @param totalBytes their total size (what full mode reads)
 */
public record VerificationPlan(
    Path root, boolean hashing, int parallelism, int manifests, int blobs, long totalBytes) {}
