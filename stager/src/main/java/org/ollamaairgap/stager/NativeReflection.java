package org.ollamaairgap.stager;

import io.quarkus.runtime.annotations.RegisterForReflection;
import org.ollamaairgap.common.progress.Outcome;
import org.ollamaairgap.stager.bundle.BundleSummary;
import org.ollamaairgap.stager.inventory.Inventory;
import org.ollamaairgap.stager.inventory.InventoryModel;
import org.ollamaairgap.stager.lock.LockRecord;
import org.ollamaairgap.stager.prune.PruneReport;
import org.ollamaairgap.stager.run.ModelReport;
import org.ollamaairgap.stager.run.RunResult;
import org.ollamaairgap.stager.run.Summary;

/**
 * Registers for reflection, in the native executable, every type Jackson binds to or from JSON.
 *
 * <p>Quarkus registers REST payloads by itself, but not types read or written with a plain {@code
 * ObjectMapper} (reports, manifests, API streams), and the types in {@code common} cannot carry
 * Quarkus annotations. A type missing here works in JVM mode and fails only in the native
 * executable, with empty JSON or "no serializer found". Add each such type (records included) to
 * {@code targets}, or to {@code classNames} when it is package-private; this is the only place
 * (docs/images.md). The ollama driver and the registry client read API replies, manifests and the
 * pull stream as {@code JsonNode} trees, which need no registration.
 */
@RegisterForReflection(
    targets = {
      Summary.class,
      ModelReport.class,
      PruneReport.class,
      RunResult.class,
      Inventory.class,
      InventoryModel.class,
      // Written as its lower-case word (@JsonValue), read back by it.
      Outcome.class,
      // The lock file's content, written and read back.
      LockRecord.class,
      // The export and import subcommands' summary.
      BundleSummary.class,
      BundleSummary.Model.class
    },
    classNames = {
      // The registry driver's resume state, written and read back with readValue.
      "org.ollamaairgap.stager.registry.ResumeState",
      "org.ollamaairgap.stager.registry.ResumeState$Part"
    })
final class NativeReflection {
  private NativeReflection() {}
}
