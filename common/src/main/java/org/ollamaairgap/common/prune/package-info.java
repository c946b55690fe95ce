/**
 * Desired state on the export: which manifests and blobs a prune removes, and in which order, so
 * that a production Ollama reading the same NFS export never loses a file it still has open.
 *
 * <p>Deletion is two-phase. Removing a manifest only records the blobs it leaves unreferenced in
 * {@link org.ollamaairgap.common.prune.Tombstones} with the time; a blob is deleted on a later run,
 * when it has stayed unreferenced for the grace period. {@link
 * org.ollamaairgap.common.prune.PrunePlan} decides from what is on disk, {@link
 * org.ollamaairgap.common.prune.Pruner} carries a plan out step by step, each step a single rename
 * or unlink, so a kill at any point leaves a store that verifies.
 */
package org.ollamaairgap.common.prune;
