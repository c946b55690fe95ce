package org.ollamaairgap.stager.bundle;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.ollamaairgap.app.ExitCode;
import org.ollamaairgap.app.UsageException;
import org.ollamaairgap.app.cli.Invocation;
import org.ollamaairgap.app.output.Formats;
import org.ollamaairgap.app.output.ReportFiles;
import org.ollamaairgap.app.output.TerminationLog;
import org.ollamaairgap.app.run.Ticker;
import org.ollamaairgap.common.bundle.BundleException;
import org.ollamaairgap.common.bundle.BundleListener;
import org.ollamaairgap.common.bundle.ModelOutcome;
import org.ollamaairgap.common.model.Digest;
import org.ollamaairgap.common.sign.Ed25519Keys;
import org.ollamaairgap.common.sign.SignatureCheckException;
import org.ollamaairgap.common.sign.TrustedKey;
import org.ollamaairgap.common.store.ExistingAncestor;
import org.ollamaairgap.stager.config.StagerConfig;
import org.ollamaairgap.stager.inventory.InventorySigner;
import org.ollamaairgap.stager.run.ModelList;

/**
 * Runs {@code stager export} or {@code stager import} and returns the exit code: one line per model
 * and progress on stderr, the JSON summary as the last line of stdout (of stderr when {@code --to
 * -} streams the bundle on stdout), the report file and the termination log.
 */
public final class BundleCommand {
  static final String EXPORT = "stager export";
  static final String IMPORT = "stager import";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, String> env;
  private final InputStream stdin;
  private final OutputStream stdout;
  private final PrintStream err;
  private final Clock clock;

  /**
   * @param stdout the raw standard output: the tar stream of {@code --to -}, else the summary
   */
  public BundleCommand(
      Map<String, String> env,
      InputStream stdin,
      OutputStream stdout,
      PrintStream err,
      Clock clock) {
    this.env = Map.copyOf(env);
    this.stdin = stdin;
    this.stdout = stdout;
    this.err = err;
    this.clock = clock;
  }

  /** Whether this command line is one of ours. */
  public static boolean handles(Invocation invocation) {
    String name = invocation.commandName();
    return name.equals(EXPORT) || name.equals(IMPORT);
  }

  /** What needs no store: the flags each command requires, the model list. */
  public static void check(Invocation invocation, StagerConfig config) throws UsageException {
    if (invocation.commandName().equals(EXPORT)) {
      ModelList.parse(config.models().orElse(List.of()));
      if (config.bundle().to().filter(t -> !t.isBlank()).isEmpty()) {
        throw new UsageException(
            "stager export needs --to DIR (STAGER_TO), or --to - for a tar stream on stdout");
      }
    } else if (config.bundle().from().filter(t -> !t.isBlank()).isEmpty()) {
      throw new UsageException(
          "stager import needs --from DIR (STAGER_FROM), or --from - for a tar stream on stdin");
    }
  }

  public ExitCode run(Invocation invocation, StagerConfig config) {
    Instant started = clock.instant();
    boolean export = invocation.commandName().equals(EXPORT);
    String bundle = export ? config.bundle().to().orElse("") : config.bundle().from().orElse("");
    Progress progress = new Progress(export ? "export" : "import");
    Result result;
    try {
      check(invocation, config);
      result =
          export
              ? new ExportRun(config, stdout, err::println, progress)
                  .run(
                      ModelList.parse(config.models().orElse(List.of())),
                      InventorySigner.fromConfig(config))
              : new ImportRun(config, stdin, env, clock, err::println, progress)
                  .run(trustKeys(config));
    } catch (UsageException e) {
      result = Result.refused(ExitCode.USAGE, e.getMessage());
    } finally {
      progress.close();
    }
    BundleSummary summary =
        new BundleSummary(
            invocation.commandName(),
            result.exit().word(),
            result.exit().code(),
            result.reason(),
            config.modelsDir().toAbsolutePath().toString(),
            bundle.strip(),
            started.toString(),
            Duration.between(started, clock.instant()).toMillis() / 1000.0,
            progress.hashed.get(),
            models(result.outcomes()),
            result.inventoryDigest() == null ? null : result.inventoryDigest().toString());
    return finish(config, summary, export && bundle.strip().equals("-"));
  }

  private ExitCode finish(StagerConfig config, BundleSummary summary, boolean streamOnStdout) {
    ExitCode exit = ExitCode.of(summary.exitCode());
    if (config.report().isPresent() && exit != ExitCode.USAGE) {
      try {
        ReportFiles.write(
            config.report().get(),
            (json(summary) + "\n").getBytes(StandardCharsets.UTF_8),
            "--report (STAGER_REPORT)");
      } catch (ReportFiles.Unwritable e) {
        err.println("stager: " + e.getMessage());
        if (exit == ExitCode.OK) {
          exit = ExitCode.ENVIRONMENT;
          summary = withExit(summary, exit, e.getMessage());
        }
      }
    }
    if (exit != ExitCode.OK) {
      err.println("stager: " + summary.reason());
    }
    TerminationLog.write(config.terminationLog(), summary.reason());
    String line = json(summary);
    if (streamOnStdout) {
      err.println(line);
      err.flush();
    } else {
      PrintStream out = new PrintStream(stdout, true, StandardCharsets.UTF_8);
      out.println(line);
      out.flush();
    }
    return exit;
  }

  private static BundleSummary withExit(BundleSummary s, ExitCode exit, String reason) {
    return new BundleSummary(
        s.command(),
        exit.word(),
        exit.code(),
        reason,
        s.modelsDir(),
        s.bundle(),
        s.startedAt(),
        s.durationSeconds(),
        s.bytesHashed(),
        s.models(),
        s.inventoryDigest());
  }

  private static List<BundleSummary.Model> models(List<ModelOutcome> outcomes) {
    List<BundleSummary.Model> models = new ArrayList<>();
    for (ModelOutcome o : outcomes) {
      models.add(
          new BundleSummary.Model(
              o.name().toString(),
              o.name().displayShortest(),
              o.manifest() == null ? null : o.manifest().toString(),
              o.size(),
              o.ok() ? "done" : "failed",
              o.error()));
    }
    return models;
  }

  private static String json(BundleSummary summary) {
    try {
      return JSON.writeValueAsString(summary);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render the summary", e);
    }
  }

  private static List<TrustedKey> trustKeys(StagerConfig config) throws UsageException {
    List<TrustedKey> keys = new ArrayList<>();
    for (Path file : config.bundle().trustKey().orElse(List.of())) {
      try {
        keys.addAll(Ed25519Keys.readPublic(file));
      } catch (SignatureCheckException e) {
        throw new UsageException("--trust-key / STAGER_TRUST_KEY: " + e.getMessage(), e);
      }
    }
    return keys;
  }

  /** How a run ended. */
  record Result(ExitCode exit, String reason, List<ModelOutcome> outcomes, Digest inventoryDigest) {
    static Result refused(ExitCode exit, String reason) {
      return new Result(exit, reason, List.of(), null);
    }

    /** Exit 0 or 1 from the models, with a reason naming the first failure. */
    static Result of(List<ModelOutcome> outcomes, String done, Digest inventoryDigest) {
      List<ModelOutcome> failed = outcomes.stream().filter(o -> !o.ok()).toList();
      if (failed.isEmpty()) {
        return new Result(ExitCode.OK, done, outcomes, inventoryDigest);
      }
      return new Result(
          ExitCode.FAILED,
          Formats.count(failed.size(), "model")
              + " of "
              + outcomes.size()
              + " failed: "
              + failed.get(0).error(),
          outcomes,
          inventoryDigest);
    }
  }

  /** Counts hashed bytes; a line every so often once the total is known. */
  static final class Progress implements BundleListener, AutoCloseable {
    final AtomicLong hashed = new AtomicLong();
    private final String what;
    private volatile long total = -1;
    private Ticker ticker;

    Progress(String what) {
      this.what = what;
    }

    void start(long total, Duration every, java.util.function.Consumer<String> log) {
      this.total = total;
      ticker =
          Ticker.every(
              every,
              "stager-" + what + "-progress",
              () ->
                  log.accept(
                      what
                          + ": "
                          + Formats.bytes(hashed.get())
                          + " of "
                          + Formats.bytes(this.total)
                          + " hashed"));
    }

    @Override
    public void bytes(long n) {
      hashed.addAndGet(n);
    }

    @Override
    public void close() {
      if (ticker != null) {
        ticker.close();
      }
    }
  }

  /** Whether a path names the standard stream. */
  static boolean stream(String value) {
    return value.strip().equals("-");
  }

  static Path path(String value) {
    return Path.of(value.strip());
  }

  static long usable(Path dir) throws IOException {
    Path p = ExistingAncestor.of(dir.toAbsolutePath());
    return Files.getFileStore(p == null ? dir : p).getUsableSpace();
  }

  /** An I/O error in words, with the file it happened to. */
  static String problem(IOException e) {
    String why = org.ollamaairgap.app.output.Problems.of(e);
    if (e instanceof java.nio.file.FileSystemException fs && fs.getFile() != null) {
      return why + " at " + fs.getFile();
    }
    return why;
  }

  /** Rejects a bundle problem with exit 1 and an I/O problem with exit 3. */
  static Result failed(BundleException e) {
    return Result.refused(ExitCode.FAILED, e.getMessage());
  }
}
