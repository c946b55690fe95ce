package org.ollamaairgap.stager.run;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.ollamaairgap.app.UsageException;
import org.ollamaairgap.app.output.Formats;
import org.ollamaairgap.common.model.Descriptor;
import org.ollamaairgap.common.model.Digest;
import org.ollamaairgap.common.model.Manifest;
import org.ollamaairgap.common.model.ModelName;
import org.ollamaairgap.common.progress.ModelState;
import org.ollamaairgap.common.progress.Outcome;
import org.ollamaairgap.common.progress.PullListener;
import org.ollamaairgap.common.sign.Signer;
import org.ollamaairgap.common.store.StoreLayout;
import org.ollamaairgap.common.store.StoreWriter;
import org.ollamaairgap.stager.driver.Driver;
import org.ollamaairgap.stager.driver.StageException;
import org.ollamaairgap.stager.inventory.InventoryFileRecorder;
import org.ollamaairgap.stager.inventory.InventoryReader;
import org.ollamaairgap.stager.lock.LockException;
import org.ollamaairgap.stager.lock.LockHeldException;
import org.ollamaairgap.stager.lock.StoreLock;
import org.ollamaairgap.stager.progress.BlobsOnce;
import org.ollamaairgap.stager.progress.FanOut;
import org.ollamaairgap.stager.progress.ModelProgress;
import org.ollamaairgap.stager.progress.ProgressLog;
import org.ollamaairgap.stager.progress.ProgressTracker;

/**
 * One staging run, whatever the driver: validate every name, prove the target writable, resolve
 * every model, check free space, then stage the models one by one and re-hash every blob each
 * staged manifest references (pre-existing blobs included, since Ollama trusts any blob file that
 * exists). A model's failure does not stop the others; an environment problem stops the run.
 */
public final class StagingRun {
  private static final Logger LOG = Logger.getLogger(StagingRun.class);

  /** Opens the driver once the names are known to be good and the target writable. */
  @FunctionalInterface
  public interface DriverSource {
    Driver open() throws StageException;
  }

  private final StoreLayout layout;
  private final ProgressTracker tracker;
  private final PullListener listener;
  private final Clock clock;
  private final InventoryFileRecorder chunks = new InventoryFileRecorder();
  private final Rehash rehash;
  private StoreLock lock;
  private Duration lockWait = Duration.ZERO;
  private Digest inventoryDigest;
  private Signer signer;
  private AfterSuccess afterSuccess = models -> {};

  /**
   * Work that must still hold the store lock and happens only when every model staged (the prune).
   * A failure stops the run as an environment error.
   */
  @FunctionalInterface
  public interface AfterSuccess {
    void run(List<ModelName> models) throws StageException;
  }

  /**
   * @param tracker counts the events; the summary reads bytes and retries from it
   * @param others further listeners (metrics), called after the tracker
   */
  public StagingRun(StoreLayout layout, ProgressTracker tracker, PullListener others) {
    this.layout = layout;
    this.tracker = tracker;
    this.listener = new BlobsOnce(new FanOut(List.of(tracker, others)));
    this.clock = tracker.clock();
    this.rehash = new Rehash(layout, listener, chunks);
  }

  /**
   * Takes {@code lock} after the names are checked and before anything is written to the store (the
   * write probe aside), waiting up to {@code wait} for another stager; keeps it until the run ends
   * and stops before the next model if it is lost.
   */
  public StagingRun lockedBy(StoreLock lock, Duration wait) {
    this.lock = lock;
    this.lockWait = wait;
    return this;
  }

  /** Signs the inventory file with {@code signer} (null: unsigned). */
  public StagingRun signedBy(Signer signer) {
    this.signer = signer;
    return this;
  }

  /** Runs {@code work} under the lock after every model staged; nothing when one failed. */
  public StagingRun afterSuccess(AfterSuccess work) {
    this.afterSuccess = work;
    return this;
  }

  /** Runs the whole list; never throws. */
  public RunResult run(List<String> names, DriverSource drivers) {
    List<ModelName> models;
    try {
      models = ModelList.parse(names);
    } catch (UsageException e) {
      LOG.error(e.getMessage());
      return RunResult.none(RunResult.USAGE, e.getMessage());
    }
    Map<ModelName, Entry> entries = spelled(models);
    LOG.infof(
        "staging %s into %s: %s",
        Formats.count(models.size(), "model"),
        layout.root(),
        String.join(", ", models.stream().map(ModelName::displayShortest).toList()));
    try {
      TargetCheck.writable(layout);
      try (StoreLock.Held held = lock();
          Driver driver = drivers.open()) {
        resolveAll(driver, entries);
        SpaceCheck.check(layout, resolved(entries));
        for (Entry entry : entries.values()) {
          if (entry.outcome == null) {
            stillLocked(held);
            stage(driver, entry);
          }
        }
        stillLocked(held);
        inventoryDigest = writeInventory(entries);
        if (entries.values().stream().allMatch(e -> e.outcome == Outcome.DONE)) {
          afterSuccess.run(models);
          stillLocked(held);
        }
      }
    } catch (StageException e) {
      LOG.error(e.getMessage());
      return finish(entries, RunResult.ENVIRONMENT, e.getMessage());
    }
    return finish(entries, -1, null).withInventoryDigest(inventoryDigest);
  }

  /** Writes the store's inventory file for the models verified in this run, under the lock. */
  private Digest writeInventory(Map<ModelName, Entry> entries) throws StageException {
    Map<ModelName, Manifest> verified = new LinkedHashMap<>();
    for (Entry entry : entries.values()) {
      if (entry.outcome == Outcome.DONE) {
        verified.put(entry.name, entry.manifest);
      }
    }
    try {
      return chunks.write(new StoreWriter(layout), verified, signer);
    } catch (IOException e) {
      throw new StageException(
          StageException.Reason.NOT_WRITABLE,
          "cannot write the inventory "
              + layout.inventory()
              + " ("
              + e.getMessage()
              + "): check that the store is writable and has space (--models-dir / OLLAMA_MODELS),"
              + " then run the stager again",
          e);
    }
  }

  /** The entries under the names they will have on disk; a refused one fails at once. */
  private Map<ModelName, Entry> spelled(List<ModelName> models) {
    Map<ModelName, Entry> entries = new LinkedHashMap<>();
    for (DiskNames.Named named : DiskNames.of(layout, models)) {
      Entry entry = new Entry(named.model());
      entries.put(named.model(), entry);
      listener.state(named.model(), ModelState.PENDING);
      if (named.refused() != null) {
        fail(entry, named.refused());
      }
    }
    return entries;
  }

  private StoreLock.Held lock() throws StageException {
    if (lock == null) {
      return new StoreLock.Held() {
        @Override
        public Optional<String> lost() {
          return Optional.empty();
        }

        @Override
        public void close() {}
      };
    }
    try {
      return lock.acquire(lockWait);
    } catch (LockHeldException e) {
      throw new StageException(StageException.Reason.LOCKED, e.getMessage(), e);
    } catch (LockException e) {
      throw new StageException(StageException.Reason.LOCKED, e.getMessage(), e);
    }
  }

  private static void stillLocked(StoreLock.Held held) throws StageException {
    Optional<String> lost = held.lost();
    if (lost.isPresent()) {
      throw new StageException(
          StageException.Reason.LOCKED,
          "stopped writing: lost the store lock: "
              + lost.get()
              + ". Another stager may be writing the store; run again once it has finished.");
    }
  }

  private void resolveAll(Driver driver, Map<ModelName, Entry> entries) throws StageException {
    for (Entry entry : entries.values()) {
      if (entry.outcome != null) {
        continue;
      }
      try {
        entry.resolved = driver.resolve(entry.name, listener);
        entry.resolved.ifPresent(manifest -> announce(entry.name, manifest));
        if (entry.resolved.isEmpty()) {
          LOG.infof(
              "%s: size unknown until it is pulled; the free-space check cannot include it",
              entry.name.displayShortest());
        }
      } catch (StageException e) {
        if (e.reason().environment()) {
          throw e;
        }
        fail(entry, e.getMessage());
      } catch (RuntimeException e) {
        LOG.errorf(e, "%s: unexpected error in the driver", entry.name.displayShortest());
        fail(entry, "unexpected error: " + e);
      }
    }
  }

  private void announce(ModelName model, Manifest manifest) {
    for (Descriptor blob : manifest.blobs().values()) {
      listener.blob(model, blob.digest(), blob.size());
    }
  }

  private static Map<ModelName, Manifest> resolved(Map<ModelName, Entry> entries) {
    Map<ModelName, Manifest> manifests = new LinkedHashMap<>();
    for (Entry entry : entries.values()) {
      if (entry.outcome == null && entry.resolved.isPresent()) {
        manifests.put(entry.name, entry.resolved.get());
      }
    }
    return manifests;
  }

  private void stage(Driver driver, Entry entry) throws StageException {
    ModelName model = entry.name;
    entry.started = clock.instant();
    listener.state(model, ModelState.PULLING);
    LOG.infof("%s: pulling", model.displayShortest());
    try {
      Manifest manifest = driver.stage(model, entry.resolved, listener);
      entry.manifest = manifest;
      announce(model, manifest);
      listener.state(model, ModelState.VERIFYING);
      LOG.infof(
          "%s: re-hashing its %d blobs (%s)",
          model.displayShortest(),
          manifest.blobs().size(),
          ProgressLog.bytes(manifest.totalSize()));
      String problem = rehash.check(model, manifest);
      if (problem != null) {
        // The new manifest must not name a blob that failed: the previous one (or none) stays.
        driver.abandon(model);
        fail(entry, problem);
        return;
      }
      driver.commit(model, manifest);
      entry.committed = true;
      entry.outcome = Outcome.DONE;
      entry.finished = clock.instant();
      listener.state(model, ModelState.DONE);
      LOG.infof(
          "%s: done, manifest %s, %s verified",
          model.displayShortest(), manifest.digest(), ProgressLog.bytes(manifest.totalSize()));
    } catch (StageException e) {
      fail(entry, e.getMessage());
      if (e.reason().environment()) {
        // The run stops: say which model hit it, the driver's words say what and where.
        throw new StageException(
            e.reason(), model.displayShortest() + ": " + e.getMessage(), e.getCause());
      }
    } catch (RuntimeException e) {
      // A driver bug must not take the other models down; the stack goes to the log.
      LOG.errorf(e, "%s: unexpected error in the driver", model.displayShortest());
      fail(entry, "unexpected error: " + e);
    }
  }

  private void fail(Entry entry, String reason) {
    entry.outcome = Outcome.FAILED;
    entry.reason = reason;
    entry.finished = clock.instant();
    listener.state(entry.name, ModelState.FAILED);
    LOG.errorf("%s: failed: %s", entry.name.displayShortest(), reason);
  }

  private RunResult finish(Map<ModelName, Entry> entries, int stopCode, String stopReason) {
    List<ModelReport> reports = new ArrayList<>();
    List<InventoryReader.Verdict> verdicts = new ArrayList<>();
    int failed = 0;
    String firstFailure = null;
    for (Entry entry : entries.values()) {
      if (entry.outcome == null) {
        entry.outcome = Outcome.SKIPPED;
        entry.reason = "not staged: the run stopped first (" + stopReason + ")";
      }
      if (entry.outcome == Outcome.FAILED) {
        failed++;
        if (firstFailure == null) {
          firstFailure = entry.name.displayShortest() + ": " + entry.reason;
        }
      }
      reports.add(report(entry));
      verdicts.add(new InventoryReader.Verdict(entry.name, entry.outcome, entry.reason));
    }
    if (stopCode >= 0) {
      return new RunResult(stopCode, stopReason, reports, verdicts);
    }
    if (failed > 0) {
      return new RunResult(
          RunResult.MODEL_FAILED,
          failed
              + " of "
              + Formats.count(entries.size(), "model")
              + " failed"
              + (failed == 1 ? ": " : "; first: ")
              + firstFailure,
          reports,
          verdicts);
    }
    long bytes = reports.stream().mapToLong(ModelReport::sizeBytes).sum();
    return new RunResult(
        RunResult.OK,
        "staged and verified "
            + Formats.count(entries.size(), "model")
            + " ("
            + ProgressLog.bytes(bytes)
            + ")",
        reports,
        verdicts);
  }

  private ModelReport report(Entry entry) {
    ModelProgress progress = tracker.get(entry.name);
    Manifest manifest = entry.manifest != null ? entry.manifest : entry.resolved.orElse(null);
    double seconds =
        entry.started == null || entry.finished == null
            ? 0
            : Duration.between(entry.started, entry.finished).toMillis() / 1000.0;
    return new ModelReport(
        entry.name.toString(),
        entry.name.displayShortest(),
        entry.committed ? entry.manifest.digest().toString() : null,
        manifest == null ? progress.size() : manifest.totalSize(),
        manifest == null ? progress.blobCount() : manifest.blobs().size(),
        entry.outcome,
        entry.reason,
        seconds,
        progress.transferred(),
        progress.retries());
  }

  /** The run's own record of one model. */
  private static final class Entry {
    final ModelName name;
    Optional<Manifest> resolved = Optional.empty();
    Manifest manifest;
    boolean committed;
    Outcome outcome;
    String reason;
    Instant started;
    Instant finished;

    Entry(ModelName name) {
      this.name = name;
    }
  }
}
