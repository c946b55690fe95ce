package org.ollamaairgap.verifier;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ollamaairgap.app.UsageException;
import org.ollamaairgap.app.cli.Setting;
import org.ollamaairgap.common.model.StoreException;
import org.ollamaairgap.common.store.ExistingAncestor;
import org.ollamaairgap.common.store.StoreLayout;
import org.ollamaairgap.common.verify.Requirement;
import org.ollamaairgap.common.verify.StoreVerifier;

/**
 * The validated inputs of one verification: checked before Quarkus starts and again inside it, so
 * that a bad value is exit 2 with the flag and variable named, and nothing is read yet.
 *
 * @param layout the store
 * @param options what to check and how
 * @param report where the JSON report goes, or null
 * @param recordDir where the verification record is kept, or null
 */
record Plan(StoreLayout layout, StoreVerifier.Options options, Path report, Path recordDir) {
  static Plan of(VerifierConfig config) throws UsageException {
    String dir = ollamaPath(config.modelsDir());
    if (dir.isEmpty()) {
      throw new UsageException(
          VerifierCommand.MODELS_DIR.names() + " is empty: give the store root");
    }
    StoreLayout layout = new StoreLayout(Path.of(dir));
    int parallelism = config.parallelism();
    if (parallelism < 0) {
      throw new UsageException(
          VerifierCommand.PARALLELISM.names()
              + " must be 0 (one per core) or more, not "
              + parallelism);
    }
    if (parallelism == 0) {
      parallelism = Runtime.getRuntime().availableProcessors();
    }
    if (config.progressInterval().isNegative() || config.progressInterval().isZero()) {
      throw new UsageException(
          VerifierCommand.PROGRESS_INTERVAL.names()
              + " must be positive, not "
              + config.progressInterval());
    }
    if (config.watchInterval().isNegative()) {
      throw new UsageException(
          VerifierCommand.WATCH_INTERVAL.names()
              + " must be 0s or more, not "
              + config.watchInterval());
    }
    if (config.maxBandwidth().isPresent() && config.maxBandwidth().get().asLongValue() <= 0) {
      throw new UsageException(
          VerifierCommand.MAX_BANDWIDTH.names()
              + " must be more than 0 bytes per second (leave it unset for no limit), not "
              + config.maxBandwidth().get().asLongValue());
    }
    List<Requirement> requirements = new ArrayList<>();
    for (String name : config.require().orElse(List.of())) {
      if (!name.isBlank()) {
        requirements.add(requirement(VerifierCommand.REQUIRE, name));
      }
    }
    for (String pin : config.expect().orElse(List.of())) {
      if (!pin.isBlank()) {
        requirements.add(requirement(VerifierCommand.EXPECT, pin));
      }
    }
    Path report = config.report().map(p -> p.toAbsolutePath().normalize()).orElse(null);
    if (report != null && inside(report, layout.root())) {
      throw new UsageException(
          "--report "
              + report
              + " is inside the models directory "
              + layout.root()
              + ": the verifier never writes into the store; choose a path outside it ("
              + VerifierCommand.REPORT.names()
              + ")");
    }
    return new Plan(
        layout,
        new StoreVerifier.Options(
            config.mode() == VerifierConfig.Mode.FULL,
            parallelism,
            requirements,
            InventoryOptions.trust(config)),
        report,
        RecordOptions.recordDir(config, layout));
  }

  private static Requirement requirement(Setting setting, String value) throws UsageException {
    try {
      return setting == VerifierCommand.EXPECT
          ? Requirement.expect(value)
          : Requirement.require(value);
    } catch (StoreException e) {
      throw new UsageException(setting.names() + ": " + e.getMessage(), e);
    }
  }

  /** OLLAMA_MODELS as Ollama reads it: surrounding blanks and quotes trimmed, no ~ expansion. */
  static String ollamaPath(String value) {
    String trimmed = value.strip();
    int start = 0;
    int end = trimmed.length();
    while (start < end && isQuote(trimmed.charAt(start))) {
      start++;
    }
    while (end > start && isQuote(trimmed.charAt(end - 1))) {
      end--;
    }
    return trimmed.substring(start, end);
  }

  private static boolean isQuote(char c) {
    return c == '"' || c == '\'';
  }

  /** Whether {@code file} is in {@code root}, also through symbolic links. */
  static boolean inside(Path file, Path root) {
    if (file.startsWith(root)) {
      return true;
    }
    try {
      Path realRoot = root.toRealPath();
      Path parent = ExistingAncestor.of(file.getParent());
      return parent != null && parent.toRealPath().startsWith(realRoot);
    } catch (IOException e) {
      return false; // no store: verification will say so
    }
  }
}
