package org.ollamaairgap.common.prune;

import java.time.Instant;
import org.ollamaairgap.common.model.Digest;

/**
 * A blob that no manifest references, and since when.
 *
 * @param digest the blob
 * @param size its size when it was recorded
 * @param since when it was first seen unreferenced; the grace period counts from here
 * @param model the model whose removal left it unreferenced, or empty when none is known
 */
public record Tombstone(Digest digest, long size, Instant since, String model) {}
