package org.ollamaairgap.verifier;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import org.ollamaairgap.common.verify.Finding;
import org.ollamaairgap.common.verify.Severity;
import org.ollamaairgap.common.verify.VerifyListener;

/**
 * Every finding for the {@code --report} file, however many: the engine keeps only the first few of
 * each kind in memory, so each finding is appended, as it comes, to a temp file beside the report
 * (one JSON line each), and the report then streams them back, errors first. Memory stays flat
 * whether a store has ten findings or a million.
 */
final class ReportSpill implements VerifyListener {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;
  private final BufferedWriter out;
  private IOException failure;

  private ReportSpill(Path file) throws IOException {
    this.file = file;
    this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
  }

  /**
   * A spill beside {@code report}, or null when none can be made there; then the report gets only
   * the findings kept in memory, or (when its directory is the problem) cannot be written at all,
   * which the report writer says.
   */
  static ReportSpill open(Path report) {
    Path dir = report.toAbsolutePath().normalize().getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      return null;
    }
    try {
      return new ReportSpill(
          Files.createTempFile(dir, "." + report.getFileName(), ".findings.tmp"));
    } catch (IOException e) {
      return null;
    }
  }

  @Override
  public void found(Finding finding) {
    append(finding);
  }

  @Override
  public void foundBeyondLimit(Finding finding) {
    append(finding);
  }

  private synchronized void append(Finding finding) {
    if (failure != null) {
      return;
    }
    try {
      out.write(JSON.writeValueAsString(finding));
      out.newLine();
    } catch (IOException e) {
      failure = e;
    }
  }

  /**
   * Writes {@code report} as JSON to {@code target}, its findings replaced by every finding the
   * spill recorded, errors first; without a spill, as it is.
   */
  static void writeTo(ReportSpill spill, ReportFile report, OutputStream target)
      throws IOException {
    ObjectNode tree = JSON.valueToTree(report);
    try (JsonGenerator json = JSON.createGenerator(target).useDefaultPrettyPrinter()) {
      if (spill == null) {
        json.writeTree(tree);
      } else {
        spill.writeObject(json, tree, "");
      }
    }
  }

  private synchronized void writeObject(JsonGenerator json, JsonNode node, String path)
      throws IOException {
    json.writeStartObject();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      json.writeFieldName(field.getKey());
      String at = path + "/" + field.getKey();
      if (at.equals("/report/findings")) {
        writeFindings(json);
      } else if (at.equals("/report") && field.getValue().isObject()) {
        writeObject(json, field.getValue(), at);
      } else {
        json.writeTree(field.getValue());
      }
    }
    json.writeEndObject();
  }

  /** One pass over the spill per severity: errors first, as on the console. */
  private void writeFindings(JsonGenerator json) throws IOException {
    out.flush();
    if (failure != null) {
      throw failure;
    }
    json.writeStartArray();
    for (Severity severity : Severity.values()) {
      try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          JsonNode finding = JSON.readTree(line);
          if (finding.path("severity").asText().equals(severity.name())) {
            json.writeTree(finding);
          }
        }
      }
    }
    json.writeEndArray();
  }

  /** Removes the spill; null is fine. */
  static void discard(ReportSpill spill) {
    if (spill == null) {
      return;
    }
    synchronized (spill) {
      try {
        spill.out.close();
      } catch (IOException e) {
        // only the temp file is lost
      }
      try {
        Files.deleteIfExists(spill.file);
      } catch (IOException e) {
        // a leftover dot-file beside the report; the report itself is complete
      }
    }
  }
}
