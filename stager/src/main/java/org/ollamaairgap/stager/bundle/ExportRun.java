package org.ollamaairgap.stager.bundle;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.ollamaairgap.app.ExitCode;
import org.ollamaairgap.app.output.Formats;
import org.ollamaairgap.common.bundle.BundleException;
import org.ollamaairgap.common.bundle.BundleInventory;
import org.ollamaairgap.common.bundle.BundleSink;
import org.ollamaairgap.common.bundle.DirectorySink;
import org.ollamaairgap.common.bundle.Exporter;
import org.ollamaairgap.common.bundle.ModelOutcome;
import org.ollamaairgap.common.bundle.OciLayout;
import org.ollamaairgap.common.bundle.TarSink;
import org.ollamaairgap.common.digest.Sha256;
import org.ollamaairgap.common.model.Digest;
import org.ollamaairgap.common.model.ModelName;
import org.ollamaairgap.common.sign.Signer;
import org.ollamaairgap.common.store.StoreLayout;
import org.ollamaairgap.stager.config.StagerConfig;

/**
 * {@code stager export}: the source store is only read; nothing is written outside {@code --to}
 * (the directory sink keeps its temp files inside the target), and with {@code --to -} nothing is
 * written to disk at all.
 */
final class ExportRun {
  private final StagerConfig config;
  private final OutputStream stdout;
  private final Consumer<String> log;
  private final BundleCommand.Progress progress;

  ExportRun(
      StagerConfig config,
      OutputStream stdout,
      Consumer<String> log,
      BundleCommand.Progress progress) {
    this.config = config;
    this.stdout = stdout;
    this.log = log;
    this.progress = progress;
  }

  BundleCommand.Result run(List<ModelName> models, Signer signer) {
    StoreLayout source = new StoreLayout(config.modelsDir());
    if (!Files.isDirectory(source.root())) {
      return BundleCommand.Result.refused(
          ExitCode.ENVIRONMENT,
          "the source store "
              + source.root()
              + " is not a directory; point --models-dir / OLLAMA_MODELS at the store to export");
    }
    String to = config.bundle().to().orElseThrow();
    BundleInventory.Files files;
    try {
      files = BundleInventory.forExport(source, models, signer);
    } catch (BundleException | IOException e) {
      return BundleCommand.Result.refused(ExitCode.ENVIRONMENT, e.getMessage());
    }
    if (files.note() != null) {
      log.accept("export: " + files.note());
    }
    Exporter exporter = new Exporter(source, progress);
    long total = 0;
    if (!BundleCommand.stream(to)) {
      Path target = BundleCommand.path(to);
      long missing = exporter.missingBytes(models, new OciLayout(target));
      try {
        long usable = BundleCommand.usable(target);
        if (missing > usable) {
          return BundleCommand.Result.refused(
              ExitCode.ENVIRONMENT,
              "not enough space for the bundle in "
                  + target
                  + ": it still needs "
                  + Formats.bytes(missing)
                  + " ("
                  + missing
                  + " bytes), but only "
                  + Formats.bytes(usable)
                  + " is free. Nothing was written.");
        }
      } catch (IOException e) {
        return BundleCommand.Result.refused(
            ExitCode.ENVIRONMENT, "cannot read the free space at " + target + ": " + e);
      }
      total = missing;
    }
    progress.start(total, config.progressInterval(), log);
    List<ModelOutcome> outcomes;
    try (BundleSink sink =
        BundleCommand.stream(to)
            ? new TarSink(stdout)
            : new DirectorySink(BundleCommand.path(to))) {
      outcomes = exporter.export(models, sink, files.files());
    } catch (IOException e) {
      return BundleCommand.Result.refused(
          ExitCode.ENVIRONMENT,
          "cannot write the bundle "
              + (BundleCommand.stream(to) ? "stream to stdout" : BundleCommand.path(to))
              + ": "
              + BundleCommand.problem(e)
              + (BundleCommand.stream(to) ? "" : "; fix that and run again, the export resumes"));
    }
    for (ModelOutcome o : outcomes) {
      log.accept(
          o.ok()
              ? "exported " + o.name().displayShortest() + " (" + o.manifest() + ")"
              : "FAILED " + o.name().displayShortest() + ": " + o.error());
    }
    byte[] inventory = files.files().get(OciLayout.INVENTORY);
    Digest digest = inventory == null ? null : Sha256.of(inventory);
    return BundleCommand.Result.of(
        outcomes,
        "exported "
            + Formats.count(outcomes.size(), "model")
            + " to "
            + (BundleCommand.stream(to) ? "stdout" : BundleCommand.path(to).toAbsolutePath())
            + (files.files().containsKey(OciLayout.ENVELOPE) ? ", signed" : ""),
        digest);
  }
}
