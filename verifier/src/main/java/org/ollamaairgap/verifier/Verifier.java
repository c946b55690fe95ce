package org.ollamaairgap.verifier;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.quarkus.runtime.QuarkusApplication;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.ollamaairgap.common.cli.CommandLine;
import org.ollamaairgap.common.cli.Option;
import org.ollamaairgap.common.cli.UsageException;
import org.ollamaairgap.common.model.StoreException;
import org.ollamaairgap.common.store.StoreLayout;
import org.ollamaairgap.common.verify.Finding;
import org.ollamaairgap.common.verify.ModelResult;
import org.ollamaairgap.common.verify.Requirement;
import org.ollamaairgap.common.verify.StoreUnavailableException;
import org.ollamaairgap.common.verify.StoreVerifier;
import org.ollamaairgap.common.verify.VerificationReport;

/**
 * The init container: verifies the store Ollama is about to serve and exits 0 only when it may
 * start. Exit codes: 0 verified (warnings allowed), 1 a model or the store layout failed, 2 bad
 * usage or configuration, 3 the store is missing or unreadable, or the report cannot be written.
 */
public class Verifier implements QuarkusApplication {
  public static final int EXIT_OK = 0;
  public static final int EXIT_FAILED = 1;
  public static final int EXIT_USAGE = 2;
  public static final int EXIT_ENVIRONMENT = 3;

  /** Kubernetes reads at most 4096 bytes of the termination message. */
  private static final int TERMINATION_LOG_LIMIT = 4096;

  static final List<Option> OPTIONS =
      List.of(
          Option.value(
              "--models-dir",
              "verifier.models-dir",
              "OLLAMA_MODELS",
              "DIR",
              "The Ollama store to verify (the directory holding blobs/ and manifests/)."),
          Option.list(
              "--require",
              "verifier.require",
              "VERIFIER_REQUIRE",
              "NAME,...",
              "Models that must have a manifest (Ollama names, case-insensitive)."),
          Option.list(
              "--expect",
              "verifier.expect",
              "VERIFIER_EXPECT",
              "NAME@sha256:HEX,...",
              "Models pinned to the SHA-256 of their manifest file (the model ID)."),
          Option.value(
              "--mode",
              "verifier.mode",
              "VERIFIER_MODE",
              "full|size",
              "full hashes every blob; size checks presence and sizes only."),
          Option.value(
              "--parallelism",
              "verifier.parallelism",
              "VERIFIER_PARALLELISM",
              "N",
              "Blobs hashed at once; 0 means one per available core."),
          Option.value(
              "--report",
              "verifier.report",
              "VERIFIER_REPORT",
              "FILE",
              "Also write the full result as JSON to FILE (outside the models directory)."),
          Option.value(
              "--progress-interval",
              "verifier.progress-interval",
              "VERIFIER_PROGRESS_INTERVAL",
              "DURATION",
              "How often to print a progress line while hashing (e.g. 10s, 1m)."),
          Option.value(
              "--termination-log",
              "verifier.termination-log",
              "VERIFIER_TERMINATION_LOG",
              "FILE",
              "Where to write the one-line reason, when that file exists and is writable."));

  static final CommandLine COMMAND_LINE =
      new CommandLine(
          "verifier",
          "Verifies an Ollama model store before Ollama starts: every manifest's blobs exist, have"
              + " the right size and SHA-256, required and pinned models are present, and nothing"
              + " would make ollama serve fail on a read-only mount. Never writes to the store.\n"
              + "Exit codes: 0 verified (warnings allowed), 1 verification failed, 2 bad usage or"
              + " configuration, 3 store missing or unreadable.",
          OPTIONS,
          null);

  private final PrintStream out = System.out;
  private final PrintStream err = System.err;

  @Override
  public int run(String... args) {
    CommandLine.Parsed parsed;
    try {
      parsed = COMMAND_LINE.parse(args);
    } catch (UsageException e) {
      return usage(e.getMessage(), null);
    }
    EffectiveConfig effective = new EffectiveConfig(OPTIONS, parsed.properties());
    if (parsed.help()) {
      out.print(
          COMMAND_LINE.help(option -> effective.value(VerifierConfig.class, option.property())));
      return EXIT_OK;
    }
    VerifierConfig config;
    try {
      config = effective.mapping(VerifierConfig.class);
    } catch (UsageException e) {
      return usage(e.getMessage(), null);
    }
    Path terminationLog = config.terminationLog();
    Run run;
    try {
      run = Run.of(config);
    } catch (UsageException e) {
      return usage(e.getMessage(), terminationLog);
    }
    return execute(run, config, terminationLog);
  }

  /** The validated inputs of one verification. */
  private record Run(StoreLayout layout, StoreVerifier.Options options, Path report) {
    static Run of(VerifierConfig config) throws UsageException {
      String dir = ollamaPath(config.modelsDir());
      if (dir.isEmpty()) {
        throw new UsageException("--models-dir / OLLAMA_MODELS is empty: give the store root");
      }
      StoreLayout layout = new StoreLayout(Path.of(dir));
      int parallelism = config.parallelism();
      if (parallelism < 0) {
        throw new UsageException(
            "--parallelism / VERIFIER_PARALLELISM must be 0 (one per core) or more, not "
                + parallelism);
      }
      if (parallelism == 0) {
        parallelism = Runtime.getRuntime().availableProcessors();
      }
      if (config.progressInterval().isNegative() || config.progressInterval().isZero()) {
        throw new UsageException(
            "--progress-interval / VERIFIER_PROGRESS_INTERVAL must be positive, not "
                + config.progressInterval());
      }
      List<Requirement> requirements = new ArrayList<>();
      try {
        for (String name : config.require().orElse(List.of())) {
          if (!name.isBlank()) {
            requirements.add(Requirement.require(name));
          }
        }
        for (String pin : config.expect().orElse(List.of())) {
          if (!pin.isBlank()) {
            requirements.add(Requirement.expect(pin));
          }
        }
      } catch (StoreException e) {
        throw new UsageException("--require / --expect: " + e.getMessage(), e);
      }
      Path report = config.report().map(p -> p.toAbsolutePath().normalize()).orElse(null);
      if (report != null && inside(report, layout.root())) {
        throw new UsageException(
            "--report "
                + report
                + " is inside the models directory "
                + layout.root()
                + ": the verifier never writes into the store; choose a path outside it");
      }
      return new Run(
          layout,
          new StoreVerifier.Options(
              config.mode() == VerifierConfig.Mode.FULL, parallelism, requirements),
          report);
    }
  }

  private int execute(Run run, VerifierConfig config, Path terminationLog) {
    VerificationReport report;
    ConsoleProgress progress = new ConsoleProgress(out, config.progressInterval());
    try {
      report = new StoreVerifier(run.layout(), run.options(), progress).verify();
    } catch (StoreUnavailableException e) {
      err.println("verifier: " + e.getMessage());
      writeTerminationLog(terminationLog, e.getMessage());
      return EXIT_ENVIRONMENT;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("verifier: interrupted");
      return EXIT_ENVIRONMENT;
    } finally {
      progress.close();
    }
    int code = report.ok() ? EXIT_OK : EXIT_FAILED;
    String summary = summarize(report);
    if (run.report() != null) {
      try {
        writeReport(run.report(), new ReportFile(code == EXIT_OK ? "ok" : "failed", code, report));
        out.println("report written to " + run.report());
      } catch (IOException e) {
        String why = "cannot write the report " + run.report() + ": " + e;
        err.println("verifier: " + why);
        writeTerminationLog(terminationLog, why);
        return EXIT_ENVIRONMENT;
      }
    }
    writeTerminationLog(terminationLog, summary);
    return code;
  }

  private String summarize(VerificationReport report) {
    for (ModelResult model : report.models()) {
      out.println(
          "model "
              + model.display()
              + ": "
              + (model.ok() ? "ok" : "FAILED")
              + (model.manifestDigest() == null
                  ? ""
                  : " (id " + model.manifestDigest().shortHex() + ", ")
              + (model.size() < 0 ? "" : StoreVerifier.human(model.size()) + ")"));
    }
    long failedModels = report.models().stream().filter(m -> !m.ok()).count();
    String counts =
        report.models().size()
            + " models, "
            + report.blobsChecked()
            + " blobs, "
            + StoreVerifier.human(report.bytesChecked())
            + " "
            + (report.mode().equals("full") ? "hashed" : "checked by size")
            + " in "
            + ConsoleProgress.seconds(report.durationMillis())
            + "; "
            + report.errors()
            + " errors, "
            + report.warnings()
            + " warnings";
    String line;
    if (report.ok()) {
      line = "OK: verified " + counts + ". Ollama may start.";
    } else {
      Finding first = report.findings().get(0);
      line =
          "FAILED: "
              + (failedModels > 0 ? failedModels + " of " : "")
              + counts
              + ". First: "
              + first.line();
    }
    out.println(line);
    return line;
  }

  private int usage(String message, Path terminationLog) {
    err.println("verifier: " + message);
    if (terminationLog != null) {
      writeTerminationLog(terminationLog, message);
    } else {
      writeTerminationLog(message);
    }
    return EXIT_USAGE;
  }

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** Writes next to the target, then renames: a reader never sees half a report. */
  static void writeReport(Path target, ReportFile report) throws IOException {
    Path parent = target.getParent();
    Files.createDirectories(parent);
    Path temp = Files.createTempFile(parent, "." + target.getFileName(), ".tmp");
    try {
      Files.write(temp, JSON.writeValueAsBytes(report));
      try {
        Files.move(
            temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** For failures before the configuration exists: the env var, else the Kubernetes default. */
  static void writeTerminationLog(String message) {
    String env = System.getenv("VERIFIER_TERMINATION_LOG");
    writeTerminationLog(
        Path.of(env == null || env.isBlank() ? "/dev/termination-log" : env.trim()), message);
  }

  /**
   * Only an existing writable file is written: Kubernetes creates it in a container; elsewhere (a
   * laptop, CI) the path must not be created.
   */
  static void writeTerminationLog(Path path, String message) {
    if (!Files.isRegularFile(path) || !Files.isWritable(path)) {
      return;
    }
    byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
    int length = Math.min(bytes.length, TERMINATION_LOG_LIMIT);
    try {
      Files.write(
          path,
          java.util.Arrays.copyOf(bytes, length),
          StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING);
    } catch (IOException e) {
      // Best effort: the same reason is in the log.
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

  private static boolean inside(Path file, Path root) {
    if (file.startsWith(root)) {
      return true;
    }
    try {
      Path realRoot = root.toRealPath();
      Path parent = file.getParent();
      while (parent != null && !Files.exists(parent)) {
        parent = parent.getParent();
      }
      return parent != null && parent.toRealPath().startsWith(realRoot);
    } catch (IOException e) {
      return false; // no store: verification will say so
    }
  }
}
