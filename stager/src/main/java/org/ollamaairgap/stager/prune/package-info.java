/**
 * {@code --prune}: after a successful run, the export holds exactly the listed models. The rules
 * (what goes, when a blob may be deleted, in which order) live in {@code common}'s prune package;
 * this package runs them under the run's lock and reports them in the log, the summary and {@code
 * stager_pruned_bytes_total}.
 */
package org.ollamaairgap.stager.prune;
