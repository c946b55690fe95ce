package org.ollamaairgap.stager.bundle;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.ollamaairgap.app.ExitCode;
import org.ollamaairgap.app.output.Formats;
import org.ollamaairgap.common.bundle.BundleException;
import org.ollamaairgap.common.bundle.BundleSource;
import org.ollamaairgap.common.bundle.BundleTrust;
import org.ollamaairgap.common.bundle.DirectorySource;
import org.ollamaairgap.common.bundle.Importer;
import org.ollamaairgap.common.bundle.ModelOutcome;
import org.ollamaairgap.common.bundle.OciLayout;
import org.ollamaairgap.common.bundle.TarSource;
import org.ollamaairgap.common.digest.Sha256;
import org.ollamaairgap.common.model.Digest;
import org.ollamaairgap.common.sign.EnvelopeVerifier;
import org.ollamaairgap.common.sign.TrustedKey;
import org.ollamaairgap.common.store.StoreLayout;
import org.ollamaairgap.common.store.StoreWriter;
import org.ollamaairgap.stager.config.StagerConfig;
import org.ollamaairgap.stager.driver.StageException;
import org.ollamaairgap.stager.lock.Identity;
import org.ollamaairgap.stager.lock.LockException;
import org.ollamaairgap.stager.lock.LockFile;
import org.ollamaairgap.stager.lock.LockHeldException;
import org.ollamaairgap.stager.lock.StoreLock;
import org.ollamaairgap.stager.run.TargetCheck;

/**
 * {@code stager import}: the store is proven writable, the stager's lock file is taken (the one
 * every staging run holds, in a cluster too, so an import and a staging run never write one store
 * at once), the bundle's index, manifests and signature are read, the free space is checked against
 * what the store lacks, then the blobs are copied and each model's manifest written last.
 */
final class ImportRun {
  private static final Duration POLL = Duration.ofSeconds(2);

  private final StagerConfig config;
  private final InputStream stdin;
  private final Map<String, String> env;
  private final Clock clock;
  private final Consumer<String> log;
  private final BundleCommand.Progress progress;

  ImportRun(
      StagerConfig config,
      InputStream stdin,
      Map<String, String> env,
      Clock clock,
      Consumer<String> log,
      BundleCommand.Progress progress) {
    this.config = config;
    this.stdin = stdin;
    this.env = env;
    this.clock = clock;
    this.log = log;
    this.progress = progress;
  }

  BundleCommand.Result run(List<TrustedKey> keys) {
    String from = config.bundle().from().orElseThrow();
    if (!BundleCommand.stream(from) && !Files.isDirectory(BundleCommand.path(from))) {
      return BundleCommand.Result.refused(
          ExitCode.ENVIRONMENT,
          "the bundle "
              + BundleCommand.path(from)
              + " is not a directory; give the directory stager export wrote (--from DIR), or"
              + " --from - for its tar stream");
    }
    StoreLayout layout = new StoreLayout(config.modelsDir());
    try {
      TargetCheck.writable(layout);
    } catch (StageException e) {
      return BundleCommand.Result.refused(ExitCode.ENVIRONMENT, e.getMessage());
    }
    StagerConfig.Cluster cluster = config.cluster();
    StoreLock lock =
        new LockFile(layout, Identity.current(env), cluster.lockStaleAfter(), POLL, clock);
    try (StoreLock.Held held = lock.acquire(cluster.lockWait());
        BundleSource source =
            BundleCommand.stream(from)
                ? new TarSource(stdin, progress)
                : new DirectorySource(BundleCommand.path(from))) {
      BundleCommand.Result result = fill(layout, source, keys);
      if (held.lost().isPresent()) {
        return BundleCommand.Result.refused(
            ExitCode.ENVIRONMENT, "lost the store lock while importing: " + held.lost().get());
      }
      return result;
    } catch (LockHeldException | LockException e) {
      return BundleCommand.Result.refused(ExitCode.ENVIRONMENT, e.getMessage());
    } catch (IOException e) {
      return BundleCommand.Result.refused(
          ExitCode.ENVIRONMENT,
          "cannot read the bundle " + from.strip() + ": " + BundleCommand.problem(e));
    }
  }

  private BundleCommand.Result fill(StoreLayout layout, BundleSource source, List<TrustedKey> keys)
      throws IOException {
    Importer importer =
        new Importer(
            new StoreWriter(layout),
            progress,
            keys.isEmpty() ? null : new BundleTrust(new EnvelopeVerifier(keys)));
    Importer.Plan plan;
    try {
      plan = importer.plan(source);
    } catch (BundleException e) {
      return BundleCommand.failed(e);
    } catch (BundleSource.BundleReadException e) {
      return BundleCommand.Result.refused(ExitCode.ENVIRONMENT, e.getMessage());
    }
    for (ModelOutcome refused : plan.refused()) {
      log.accept("FAILED " + refused.name().displayShortest() + ": " + refused.error());
    }
    long usable = BundleCommand.usable(layout.workDir());
    if (plan.missingBytes() > usable) {
      return BundleCommand.Result.refused(
          ExitCode.ENVIRONMENT,
          "not enough space in "
              + layout.root()
              + ": the blobs the store lacks need "
              + Formats.bytes(plan.missingBytes())
              + " ("
              + plan.missingBytes()
              + " bytes), but only "
              + Formats.bytes(usable)
              + " is free. Free space on that volume or import fewer models. Nothing was"
              + " imported.");
    }
    progress.start(plan.missingBytes(), config.progressInterval(), log);
    List<ModelOutcome> outcomes;
    try {
      outcomes = importer.apply(plan);
    } catch (BundleException e) {
      return BundleCommand.failed(e);
    } catch (IOException e) {
      return BundleCommand.Result.refused(
          ExitCode.ENVIRONMENT,
          "cannot write the store "
              + layout.root()
              + ": "
              + BundleCommand.problem(e)
              + "; fix that and run again, the import resumes");
    }
    for (ModelOutcome o : outcomes) {
      if (o.ok()) {
        log.accept("imported " + o.name().displayShortest() + " (" + o.manifest() + ")");
      } else if (!plan.refused().contains(o)) {
        log.accept("FAILED " + o.name().displayShortest() + ": " + o.error());
      }
    }
    return BundleCommand.Result.of(
        outcomes,
        "imported "
            + Formats.count(outcomes.size(), "model")
            + " into "
            + layout.root()
            + (keys.isEmpty() ? "" : ", signature checked"),
        installed(layout, source));
  }

  /** The digest of the inventory the store now has from the bundle, or null. */
  private static Digest installed(StoreLayout layout, BundleSource source) throws IOException {
    byte[] carried;
    try {
      carried = source.file(OciLayout.INVENTORY);
    } catch (BundleException e) {
      return null;
    }
    Path file = layout.inventory();
    if (carried == null || !Files.isRegularFile(file)) {
      return null;
    }
    Digest there = Sha256.of(Files.readAllBytes(file));
    return there.equals(Sha256.of(carried)) ? there : null;
  }
}
