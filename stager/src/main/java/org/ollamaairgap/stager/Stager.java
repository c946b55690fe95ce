package org.ollamaairgap.stager;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.health.Liveness;
import org.jboss.logging.Logger;
import org.ollamaairgap.app.UsageException;
import org.ollamaairgap.app.output.Formats;
import org.ollamaairgap.app.output.ReportFiles;
import org.ollamaairgap.app.run.Ticker;
import org.ollamaairgap.common.model.ModelName;
import org.ollamaairgap.common.progress.Outcome;
import org.ollamaairgap.common.sign.Signer;
import org.ollamaairgap.common.store.StoreLayout;
import org.ollamaairgap.common.store.StoreWriter;
import org.ollamaairgap.stager.cli.StagerLaunch;
import org.ollamaairgap.stager.cluster.Cluster;
import org.ollamaairgap.stager.cluster.ClusterContext;
import org.ollamaairgap.stager.cluster.ClusterSettings;
import org.ollamaairgap.stager.cluster.EventPublisher;
import org.ollamaairgap.stager.cluster.InventoryPublisher;
import org.ollamaairgap.stager.config.ConfigCheck;
import org.ollamaairgap.stager.config.StagerConfig;
import org.ollamaairgap.stager.driver.DriverProvider;
import org.ollamaairgap.stager.driver.Drivers;
import org.ollamaairgap.stager.driver.StageException;
import org.ollamaairgap.stager.health.StallLiveness;
import org.ollamaairgap.stager.health.StallWatch;
import org.ollamaairgap.stager.inventory.Inventory;
import org.ollamaairgap.stager.inventory.InventoryReader;
import org.ollamaairgap.stager.inventory.InventorySigner;
import org.ollamaairgap.stager.lock.Identity;
import org.ollamaairgap.stager.metrics.PullMetrics;
import org.ollamaairgap.stager.progress.FanOut;
import org.ollamaairgap.stager.progress.ProgressLog;
import org.ollamaairgap.stager.progress.ProgressTracker;
import org.ollamaairgap.stager.progress.RetryLog;
import org.ollamaairgap.stager.prune.PruneReport;
import org.ollamaairgap.stager.prune.PruneStep;
import org.ollamaairgap.stager.report.SummaryWriter;
import org.ollamaairgap.stager.run.ModelReport;
import org.ollamaairgap.stager.run.RunResult;
import org.ollamaairgap.stager.run.StagingRun;
import org.ollamaairgap.stager.run.Summary;

/**
 * The stager program: reads flags over the configuration, runs the staging with metrics, health and
 * progress lines attached, reports the outcome, lingers so Prometheus scrapes the final values, and
 * returns the exit code.
 */
@ApplicationScoped
public class Stager {
  private static final Logger LOG = Logger.getLogger(Stager.class);
  private static final Path DEFAULT_TERMINATION_LOG = Path.of("/dev/termination-log");

  private final MeterRegistry registry;
  private final Drivers drivers;
  private final StallLiveness liveness;
  private final ObjectMapper json;
  private final Cluster cluster;
  private final Clock clock = Clock.systemUTC();
  // Held for the life of the app: the gauges read through it.
  private PullMetrics metrics;

  Stager(
      MeterRegistry registry,
      Drivers drivers,
      @Liveness StallLiveness liveness,
      ObjectMapper json,
      Cluster cluster) {
    this.cluster = cluster;
    this.registry = registry;
    this.drivers = drivers;
    this.liveness = liveness;
    this.json = json;
  }

  /** Runs the stager with these arguments and returns the exit code. */
  public int run(String... args) {
    PrintStream stdout = System.out;
    SummaryWriter writer = new SummaryWriter(json, stdout);
    StagerConfig config = null;
    DriverProvider provider;
    ClusterContext context;
    Signer signer;
    try {
      // --help, --version and usage errors were answered before Quarkus started (StagerMain).
      config =
          new StagerLaunch(System.getenv(), stdout, System.err, clock)
              .configure(args, ConfigProvider.getConfig().getConfigSources());
      ConfigCheck.check(config);
      signer = InventorySigner.fromConfig(config);
      provider = drivers.select(config.driver());
      provider.check(config);
      context = Cluster.context(config.cluster().kubernetes(), System.getenv());
    } catch (UsageException e) {
      LOG.error(e.getMessage());
      Summary summary =
          new Summary(
              Summary.outcome(RunResult.USAGE),
              RunResult.USAGE,
              e.getMessage(),
              config == null ? null : config.modelsDir().toString(),
              config == null ? null : config.driver(),
              clock.instant().toString(),
              0,
              List.of(),
              null,
              null);
      writer.print(summary);
      writer.writeTerminationLog(
          e.getMessage(), config == null ? DEFAULT_TERMINATION_LOG : config.terminationLog());
      return RunResult.USAGE;
    }
    int exit = stage(config, provider, context, signer, writer);
    linger(config.linger());
    return exit;
  }

  private int stage(
      StagerConfig config,
      DriverProvider provider,
      ClusterContext context,
      Signer signer,
      SummaryWriter writer) {
    Instant started = clock.instant();
    StoreLayout layout = new StoreLayout(config.modelsDir());
    StagerConfig.Cluster clusterConfig = config.cluster();
    ClusterSettings settings =
        new ClusterSettings(
            clusterConfig.lockWait(),
            clusterConfig.lockStaleAfter(),
            clusterConfig.inventoryConfigmap(),
            clusterConfig.maxEvents());
    EventPublisher events = cluster.events(context, settings);
    events.started(config.models().map(List::size).orElse(0), layout.root().toString());
    ProgressTracker tracker = new ProgressTracker(clock);
    metrics = new PullMetrics(registry, tracker);
    liveness.watch(new StallWatch(tracker, config.transfer().stallTimeout()));
    ProgressLog progress = new ProgressLog(tracker, LOG::info);
    StagerConfig.Lifecycle lifecycle = config.lifecycle();
    PruneStep pruning =
        new PruneStep(
            new StoreWriter(layout),
            new PruneStep.Settings(
                ConfigCheck.pruneMode(lifecycle),
                lifecycle.pruneGrace(),
                lifecycle.pruneScope().orElse(List.of())),
            clock,
            LOG::info,
            registry);
    AtomicReference<PruneReport> pruned = new AtomicReference<>();
    RunResult result;
    // Closed (and a tick in flight finished) before the summary, which must be stdout's last line.
    Ticker ticks = Ticker.every(config.progressInterval(), "stager-progress", progress::tick);
    try {
      result =
          new StagingRun(layout, tracker, new FanOut(List.of(metrics, new RetryLog(LOG::warn))))
              .lockedBy(cluster.lock(context, layout, settings), clusterConfig.lockWait())
              .signedBy(signer)
              .afterSuccess(models -> prune(pruning, models, pruned))
              .run(config.models().orElse(List.of()), () -> provider.open(config, layout));
    } finally {
      ticks.close();
    }
    Summary summary = summary(config, started, result).withPrune(pruned.get());
    if (result.exitCode() != RunResult.USAGE) {
      summary = publish(summary, result, layout, context, settings, events);
    }
    if (config.report().isPresent() && summary.exitCode() != RunResult.USAGE) {
      Path file = config.report().get();
      try {
        writer.writeReport(summary, file);
      } catch (ReportFiles.Unwritable e) {
        String problem = e.getMessage();
        LOG.error(problem);
        if (summary.exitCode() == RunResult.OK) {
          summary = summary.with(RunResult.ENVIRONMENT, problem);
        }
      }
    }
    writer.writeTerminationLog(summary.reason(), config.terminationLog());
    events.finished(summary.exitCode() == RunResult.OK, summary.reason());
    // The summary is stdout's last line (`kubectl logs job/... | tail -1 | jq`): what the linger
    // has to say goes before it, and nothing is logged after it.
    if (!config.linger().isZero()) {
      LOG.infof(
          "serving /q/metrics for %s more so Prometheus scrapes the final values",
          Formats.duration(config.linger()));
    }
    writer.print(summary);
    return summary.exitCode();
  }

  private static void prune(
      PruneStep pruning, List<ModelName> models, AtomicReference<PruneReport> pruned)
      throws StageException {
    try {
      pruning.run(models).ifPresent(pruned::set);
    } catch (IOException e) {
      throw new StageException(
          StageException.Reason.PRUNE_FAILED,
          "the prune stopped: "
              + e.getMessage()
              + ". Every model staged; what the prune removed before it stopped is logged, and the"
              + " store still verifies. Fix the cause and run again, or set --prune=off"
              + " (STAGER_PRUNE=off).",
          e);
    }
  }

  /**
   * Records what the store now holds for the models asked for: into the summary always, and in a
   * cluster into the inventory ConfigMap and as Events. A ConfigMap that cannot be written turns a
   * good run into exit 3: production would otherwise pin the previous run's digests.
   */
  private Summary publish(
      Summary summary,
      RunResult result,
      StoreLayout layout,
      ClusterContext context,
      ClusterSettings settings,
      EventPublisher events) {
    for (ModelReport model : summary.models()) {
      if (model.outcome() == Outcome.DONE) {
        events.staged(model.displayName(), model.manifestDigest(), model.sizeBytes());
      } else if (model.outcome() == Outcome.FAILED) {
        events.failed(model.displayName(), model.reason());
      }
    }
    String by = context.enabled() ? context.podName() : Identity.current(System.getenv()).owner();
    Inventory inventory =
        new InventoryReader(layout)
            .read(result.verdicts(), clock.instant(), by)
            .withInventoryDigest(result.inventoryDigest());
    Summary with = summary.withInventory(inventory);
    var publisher = cluster.inventory(context, settings);
    if (publisher.isEmpty()) {
      return with;
    }
    try {
      publisher.get().publish(inventory);
      LOG.infof(
          "inventory written to %s; --expect for production: %s",
          publisher.get().describe(),
          inventory.expect().isEmpty() ? "(no model verified)" : inventory.expect());
      return with;
    } catch (InventoryPublisher.PublishException e) {
      LOG.error(e.getMessage());
      return with.exitCode() == RunResult.OK
          ? with.with(RunResult.ENVIRONMENT, e.getMessage())
          : with;
    }
  }

  private Summary summary(StagerConfig config, Instant started, RunResult result) {
    return new Summary(
        Summary.outcome(result.exitCode()),
        result.exitCode(),
        result.reason(),
        config.modelsDir().toAbsolutePath().toString(),
        config.driver(),
        started.toString(),
        Duration.between(started, clock.instant()).toMillis() / 1000.0,
        result.models(),
        null,
        null);
  }

  /** Waits silently: the summary printed before must stay stdout's last line. */
  private static void linger(Duration linger) {
    if (linger.isZero()) {
      return;
    }
    try {
      Thread.sleep(linger.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
