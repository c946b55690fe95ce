package org.ollamaairgap.stager.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.jboss.logging.Logger;
import org.ollamaairgap.app.output.ReportFiles;
import org.ollamaairgap.app.output.TerminationLog;
import org.ollamaairgap.stager.redact.Redactor;
import org.ollamaairgap.stager.run.Summary;

/**
 * Where a run's outcome goes: the summary as one JSON line on stdout (so {@code kubectl logs ... |
 * tail -1 | jq} works), the same JSON to the report file, written atomically so a reader never sees
 * half of it, and a one-line reason to Kubernetes' termination log when that file exists (both
 * through the rules the verifier shares, in {@code org.ollamaairgap.app.output}).
 */
public final class SummaryWriter {
  private static final Logger LOG = Logger.getLogger(SummaryWriter.class);

  private static final String REPORT_OPTION = "--report (STAGER_REPORT)";

  private final ObjectMapper json;
  private final PrintStream stdout;

  public SummaryWriter(ObjectMapper json, PrintStream stdout) {
    this.json = json;
    this.stdout = stdout;
  }

  /** The summary as one line of JSON. */
  public String toJson(Summary summary) {
    try {
      // Reasons quote what servers said; a credential among it must not reach a log or a file.
      return Redactor.redact(json.writeValueAsString(summary));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render the summary", e);
    }
  }

  public void print(Summary summary) {
    stdout.println(toJson(summary));
    stdout.flush();
  }

  /**
   * Writes the report whole or not at all; its directory must exist (never created). The error says
   * where, why and what to do, naming {@code --report (STAGER_REPORT)}.
   */
  public void writeReport(Summary summary, Path file) throws ReportFiles.Unwritable {
    ReportFiles.write(
        file, (toJson(summary) + "\n").getBytes(StandardCharsets.UTF_8), REPORT_OPTION);
  }

  /**
   * Writes the reason to the termination log if that file exists and is writable. Kubernetes
   * creates it in a container; elsewhere nothing is written (never a new file under /dev).
   */
  public void writeTerminationLog(String reason, Path file) {
    if (!TerminationLog.write(file, Redactor.redact(reason))) {
      LOG.debugf("no writable termination log at %s; skipped", file);
    }
  }
}
