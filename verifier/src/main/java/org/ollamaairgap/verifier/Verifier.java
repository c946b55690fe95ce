package org.ollamaairgap.verifier;

import io.quarkus.arc.Arc;
import io.quarkus.runtime.QuarkusApplication;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.ConfigProvider;
import org.ollamaairgap.app.ExitCode;
import org.ollamaairgap.app.UsageException;
import org.ollamaairgap.app.cli.EffectiveConfig;
import org.ollamaairgap.app.cli.Invocation;
import org.ollamaairgap.app.output.Formats;
import org.ollamaairgap.app.output.ReportFiles;
import org.ollamaairgap.app.output.TerminationLog;
import org.ollamaairgap.common.verify.BlobShortcut;
import org.ollamaairgap.common.verify.Finding;
import org.ollamaairgap.common.verify.ModelResult;
import org.ollamaairgap.common.verify.StoreUnavailableException;
import org.ollamaairgap.common.verify.StoreVerifier;
import org.ollamaairgap.common.verify.VerificationReport;
import org.ollamaairgap.common.verify.VerifyListener;

/**
 * The init container: verifies the store Ollama is about to serve and exits 0 only when it may
 * start. Exit codes: 0 verified (warnings allowed), 1 a model or the store layout failed, 2 bad
 * usage or configuration, 3 the store is missing or unreadable, or the report cannot be written.
 * The last line printed always says what the exit code says.
 */
public class Verifier implements QuarkusApplication {
  private final PrintStream out = System.out;
  private final PrintStream err = System.err;

  @Override
  public int run(String... args) {
    Map<String, String> env = System.getenv();
    Optional<EffectiveConfig> effective = Optional.empty();
    VerifierConfig config;
    Plan plan;
    boolean watch;
    try {
      // Help and usage errors were answered before Quarkus started; this reads the same
      // command line over Quarkus' own sources and cannot disagree with that check.
      Invocation invocation = VerifierCommand.CLI.parse(args);
      effective =
          Optional.of(
              EffectiveConfig.over(
                  ConfigProvider.getConfig().getConfigSources(),
                  invocation,
                  env,
                  VerifierCommand.CONVERTERS));
      config = effective.get().mapping(VerifierConfig.class);
      plan = Plan.of(config);
      watch = invocation.command().name().equals(VerifierCommand.WATCH.name());
    } catch (UsageException e) {
      VerifierCommand.refuse(
          e.getMessage(), VerifierCommand.terminationLog(args, effective, env), err);
      return ExitCode.USAGE.code();
    }
    if (watch) {
      WatchStatus status = Arc.container().instance(WatchStatus.class).get();
      return new Watch(this, plan, config, status, out).run().code();
    }
    return check(plan, config, config.reverifyAfter(), VerifyListener.NONE).exit().code();
  }

  /**
   * What one verification came to.
   *
   * @param exit the exit code the one-shot verifier gives for it
   * @param report the report, or null when the store could not be looked at at all
   */
  record Outcome(ExitCode exit, VerificationReport report) {}

  /**
   * One verification with everything around it: progress and finding lines, the record, the report
   * file, the last line and the termination log.
   *
   * @param reverifyAfter how old a recorded hash may be to stand in for reading the blob
   * @param extra also hears every event (watch mode: health, metrics, pacing)
   */
  Outcome check(Plan plan, VerifierConfig config, Duration reverifyAfter, VerifyListener extra) {
    Path terminationLog = config.terminationLog();
    VerificationReport report;
    ConsoleProgress progress = new ConsoleProgress(out, config.progressInterval(), plan.report());
    RecordRun record = RecordRun.open(plan, reverifyAfter, Clock.systemUTC(), out);
    // Every finding goes to the report through a file beside it; memory holds only the first few.
    ReportSpill spill = plan.report() == null ? null : ReportSpill.open(plan.report());
    try {
      VerifyListener listener = (spill == null ? progress : progress.and(spill)).and(extra);
      report =
          new StoreVerifier(
                  plan.layout(),
                  plan.options(),
                  listener,
                  record == null ? BlobShortcut.NONE : record.shortcut())
              .verify();
    } catch (StoreUnavailableException e) {
      err.println("verifier: " + e.getMessage());
      TerminationLog.write(terminationLog, e.getMessage());
      ReportSpill.discard(spill);
      return new Outcome(ExitCode.ENVIRONMENT, null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("verifier: interrupted");
      ReportSpill.discard(spill);
      return new Outcome(ExitCode.ENVIRONMENT, null);
    } finally {
      progress.close();
    }
    ExitCode verdict = report.ok() ? ExitCode.OK : ExitCode.FAILED;
    printModels(report);
    if (record != null) {
      record.finish(report);
    }
    String line = verdictLine(report, record == null ? "" : " (" + record.acceptedPart() + ")");
    if (plan.report() != null) {
      ReportFile file =
          new ReportFile(
              verdict.word(), verdict.code(), report, record == null ? null : record.counts());
      try {
        ReportFiles.write(
            plan.report(),
            target -> ReportSpill.writeTo(spill, file, target),
            VerifierCommand.REPORT.names());
        out.println("report written to " + plan.report());
      } catch (ReportFiles.Unwritable e) {
        // Exit 3 holds Ollama back: the last line must not say it may start.
        err.println("verifier: " + e.getMessage());
        line = "FAILED: " + e.getMessage() + "; the store itself: " + line;
        verdict = ExitCode.ENVIRONMENT;
      } finally {
        ReportSpill.discard(spill);
      }
    }
    out.println(line);
    out.flush();
    TerminationLog.write(terminationLog, line);
    return new Outcome(verdict, report);
  }

  private void printModels(VerificationReport report) {
    for (ModelResult model : report.models()) {
      out.println(
          "model "
              + model.display()
              + ": "
              + (model.ok() ? "ok" : "FAILED")
              + (model.manifestDigest() == null
                  ? ""
                  : " (id " + model.manifestDigest().shortHex() + ", ")
              + (model.size() < 0 ? "" : Formats.bytes(model.size()) + ")"));
    }
  }

  /**
   * {@code OK: verified 2 models, ... Ollama may start.} or {@code FAILED: ... First: ...}; {@code
   * accepted} follows the time hashing took (what the record stood in for, or empty).
   */
  static String verdictLine(VerificationReport report, String accepted) {
    long failedModels = report.models().stream().filter(m -> !m.ok()).count();
    String counts =
        Formats.count(report.models().size(), "model")
            + ", "
            + Formats.count(report.blobsChecked(), "blob")
            + ", "
            + Formats.bytes(report.bytesChecked())
            + " "
            + (report.mode().equals("full") ? "hashed" : "checked by size")
            + " in "
            + Formats.duration(Duration.ofMillis(report.durationMillis()))
            + accepted
            + "; "
            + Formats.count(report.errors(), "error")
            + ", "
            + Formats.count(report.warnings(), "warning");
    if (report.ok()) {
      return "OK: verified " + counts + ". Ollama may start.";
    }
    Finding first = report.findings().get(0);
    return "FAILED: "
        + (failedModels > 0 ? failedModels + " of " : "")
        + counts
        + ". First: "
        + first.line();
  }
}
