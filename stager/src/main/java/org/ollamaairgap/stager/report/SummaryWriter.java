package org.ollamaairgap.stager.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.jboss.logging.Logger;
import org.ollamaairgap.stager.redact.Redactor;
import org.ollamaairgap.stager.run.Summary;

/**
 * Where a run's outcome goes: the summary as one JSON line on stdout (so {@code kubectl logs ... |
 * tail -1 | jq} works), the same JSON to the report file, written atomically so a reader never sees
 * half of it, and a one-line reason to Kubernetes' termination log when that file exists.
 */
public final class SummaryWriter {
  private static final Logger LOG = Logger.getLogger(SummaryWriter.class);

  /** Kubernetes keeps at most 4096 bytes of a termination message. */
  static final int TERMINATION_LOG_LIMIT = 4096;

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

  /** Writes the report atomically; the error says where and why. */
  public void writeReport(Summary summary, Path file) throws IOException {
    Path target = file.toAbsolutePath();
    Path dir = target.getParent();
    Files.createDirectories(dir);
    Path temp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
    try {
      Files.writeString(temp, toJson(summary) + "\n", StandardCharsets.UTF_8);
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

  /**
   * Writes the reason to the termination log if that file exists and is writable. Kubernetes
   * creates it in a container; elsewhere nothing is written (never a new file under /dev).
   */
  public void writeTerminationLog(String reason, Path file) {
    if (!Files.isRegularFile(file) || !Files.isWritable(file)) {
      LOG.debugf("no termination log at %s; skipped", file);
      return;
    }
    byte[] bytes = clip(Redactor.redact(reason)).getBytes(StandardCharsets.UTF_8);
    try {
      Files.write(file, bytes, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
    } catch (IOException e) {
      LOG.warnf("cannot write the termination log %s: %s", file, e);
    }
  }

  static String clip(String reason) {
    String line = reason.replace('\n', ' ');
    byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
    if (bytes.length <= TERMINATION_LOG_LIMIT) {
      return line;
    }
    // Cut on a character boundary, leaving room for the ellipsis.
    int end = Math.min(line.length(), TERMINATION_LOG_LIMIT - 3);
    while (line.substring(0, end).getBytes(StandardCharsets.UTF_8).length
        > TERMINATION_LOG_LIMIT - 3) {
      end--;
    }
    return line.substring(0, end) + "...";
  }
}
