package org.ollamaairgap.stager.prune;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.ollamaairgap.app.output.Formats;
import org.ollamaairgap.common.model.ModelName;
import org.ollamaairgap.common.prune.PruneMode;
import org.ollamaairgap.common.prune.PrunePlan;
import org.ollamaairgap.common.prune.PruneResult;
import org.ollamaairgap.common.prune.PruneScope;
import org.ollamaairgap.common.prune.Pruner;
import org.ollamaairgap.common.prune.StoreContents;
import org.ollamaairgap.common.prune.Tombstone;
import org.ollamaairgap.common.prune.Tombstones;
import org.ollamaairgap.common.store.StoreWriter;

/**
 * One prune after a successful run: plan from the store, then (unless a dry run) carry it out, with
 * a log line per deletion (path, size, why) and the bytes counted in {@code
 * stager_pruned_bytes_total}. The caller holds the single-writer lock and calls this only when
 * every model staged.
 */
public final class PruneStep {
  /**
   * What {@code --prune}, {@code --prune-grace} and {@code --prune-scope} say.
   *
   * @param scope {@code --prune-scope} entries; empty for the listed hosts and namespaces
   */
  public record Settings(PruneMode mode, Duration grace, List<String> scope) {
    public Settings {
      scope = List.copyOf(scope);
    }
  }

  private final StoreWriter writer;
  private final Settings settings;
  private final Clock clock;
  private final Consumer<String> log;
  private final Counter pruned;

  public PruneStep(
      StoreWriter writer,
      Settings settings,
      Clock clock,
      Consumer<String> log,
      MeterRegistry registry) {
    this.writer = writer;
    this.settings = settings;
    this.clock = clock;
    this.log = log;
    this.pruned =
        Counter.builder("stager.pruned.bytes")
            .description("Bytes deleted from the store by --prune")
            .register(registry);
  }

  /**
   * Prunes to {@code listed}; empty when {@code --prune} is off.
   *
   * @throws IOException when the store cannot be read or a deletion fails (an environment error)
   */
  public java.util.Optional<PruneReport> run(Collection<ModelName> listed) throws IOException {
    if (settings.mode() == PruneMode.OFF) {
      return java.util.Optional.empty();
    }
    Tombstones.Read previous = Tombstones.read(writer.layout().tombstones());
    if (previous.warning() != null) {
      log.accept("prune: " + previous.warning());
    }
    PruneScope scope = PruneScope.parse(settings.scope(), listed);
    PrunePlan plan =
        PrunePlan.make(
            StoreContents.scan(writer.layout()),
            previous.tombstones(),
            new PrunePlan.Rules(listed, scope, settings.grace(), clock.instant()));
    if (plan.blobsHeldBack() != null) {
      log.accept(
          "prune: no blob is tombstoned or deleted this time: "
              + plan.blobsHeldBack()
              + ". Fix or remove that entry on the export; manifests are still pruned.");
    }
    List<String> removed = plan.removals().stream().map(r -> r.name().toString()).toList();
    if (settings.mode() == PruneMode.DRY_RUN) {
      return java.util.Optional.of(dryRun(plan, removed));
    }
    PruneResult result =
        new Pruner(
                writer,
                (path, bytes, model, why) -> {
                  pruned.increment(bytes);
                  log.accept("pruned " + path + " (" + Formats.bytes(bytes) + "): " + why);
                })
            .carryOut(plan, settings.grace());
    log.accept(
        "prune: "
            + removed.size()
            + (removed.size() == 1 ? " model" : " models")
            + " removed, "
            + result.blobsDeleted()
            + " blobs deleted ("
            + Formats.bytes(result.bytes())
            + "), "
            + result.blobsTombstoned()
            + " unreferenced blobs wait for the grace of "
            + Formats.duration(settings.grace()));
    return java.util.Optional.of(
        new PruneReport(
            PruneMode.ON.word(),
            result.manifestsRemoved(),
            result.blobsTombstoned(),
            result.blobsDeleted(),
            result.bytes(),
            result.bytesByModel(),
            removed,
            plan.blobsHeldBack()));
  }

  private PruneReport dryRun(PrunePlan plan, List<String> removed) {
    for (PrunePlan.Removal r : plan.removals()) {
      log.accept(
          "prune dry-run: would remove " + r.file() + ": model " + r.name() + " is not listed");
    }
    for (Tombstone t : plan.deletions()) {
      log.accept(
          "prune dry-run: would delete "
              + writer.layout().blob(t.digest())
              + " ("
              + Formats.bytes(t.size())
              + "): unreferenced since "
              + t.since());
    }
    log.accept(
        "prune dry-run: nothing was changed; "
            + removed.size()
            + (removed.size() == 1 ? " model" : " models")
            + " and "
            + plan.deletions().size()
            + " blobs ("
            + Formats.bytes(plan.bytes())
            + ") would go. Set --prune=on (STAGER_PRUNE=on) to carry it out.");
    return new PruneReport(
        PruneMode.DRY_RUN.word(),
        plan.removals().size(),
        plan.tombstones().size() - plan.deletions().size(),
        plan.deletions().size(),
        0,
        Map.of(),
        removed,
        plan.blobsHeldBack());
  }
}
