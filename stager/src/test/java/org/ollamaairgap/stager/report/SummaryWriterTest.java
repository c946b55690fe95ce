package org.ollamaairgap.stager.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ollamaairgap.app.output.ReportFiles;
import org.ollamaairgap.common.progress.Outcome;
import org.ollamaairgap.stager.run.ModelReport;
import org.ollamaairgap.stager.run.Summary;

class SummaryWriterTest {
  @TempDir Path tmp;
  private final ObjectMapper json = new ObjectMapper();
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final SummaryWriter writer =
      new SummaryWriter(json, new PrintStream(out, true, StandardCharsets.UTF_8));
  private final Summary summary =
      new Summary(
          "ok",
          0,
          "staged and verified 1 model (1.0 KiB)",
          "/models",
          "registry",
          "2026-01-01T00:00:00Z",
          1.5,
          List.of(
              new ModelReport(
                  "registry.ollama.ai/library/llama3:8b",
                  "llama3:8b",
                  "sha256:" + "a".repeat(64),
                  1024,
                  5,
                  Outcome.DONE,
                  null,
                  1.25,
                  1024,
                  2)),
          null,
          null);

  @Test
  void print_oneJsonLineWithEveryField() throws Exception {
    writer.print(summary);

    String text = out.toString(StandardCharsets.UTF_8);
    assertThat(text).endsWith("}\n").doesNotContain("\n{").hasLineCount(1);
    JsonNode node = json.readTree(text);
    assertThat(node.get("outcome").asText()).isEqualTo("ok");
    assertThat(node.get("exitCode").asInt()).isZero();
    JsonNode model = node.get("models").get(0);
    assertThat(model.get("name").asText()).isEqualTo("registry.ollama.ai/library/llama3:8b");
    assertThat(model.get("displayName").asText()).isEqualTo("llama3:8b");
    assertThat(model.get("manifestDigest").asText()).isEqualTo("sha256:" + "a".repeat(64));
    assertThat(model.get("sizeBytes").asLong()).isEqualTo(1024);
    assertThat(model.get("blobCount").asInt()).isEqualTo(5);
    assertThat(model.get("outcome").asText()).isEqualTo("done");
    assertThat(model.get("reason").isNull()).isTrue();
    assertThat(model.get("durationSeconds").asDouble()).isEqualTo(1.25);
    assertThat(model.get("bytesTransferred").asLong()).isEqualTo(1024);
    assertThat(model.get("retries").asLong()).isEqualTo(2);
  }

  @Test
  void writeReport_replacesTheFileAtomically_leavingNoTemp() throws Exception {
    Path report = tmp.resolve("out/report.json");
    Files.createDirectories(report.getParent());
    Files.writeString(report, "old");

    writer.writeReport(summary, report);

    assertThat(json.readValue(report.toFile(), Summary.class)).isEqualTo(summary);
    try (var files = Files.list(report.getParent())) {
      assertThat(files).containsExactly(report);
    }
  }

  @Test
  void writeTerminationLog_onlyIntoAnExistingFile() throws Exception {
    Path absent = tmp.resolve("termination-log");
    writer.writeTerminationLog("reason", absent);
    assertThat(absent).doesNotExist();

    Path present = Files.writeString(tmp.resolve("present"), "previous, longer content");
    writer.writeTerminationLog("1 of 2 models failed;\nfirst: x", present);
    assertThat(present).hasContent("1 of 2 models failed; first: x");
  }

  @Test
  void writeTerminationLog_keepsKubernetesLimit() throws Exception {
    Path present = Files.writeString(tmp.resolve("present"), "");
    writer.writeTerminationLog("é".repeat(5000), present);

    assertThat(Files.size(present)).isLessThanOrEqualTo(4096);
    assertThat(Files.readString(present)).endsWith("é...");
  }

  @Test
  void writeReport_intoAMissingDirectory_namesItAndCreatesNothing() {
    Path report = tmp.resolve("typo/report.json");
    assertThatThrownBy(() -> writer.writeReport(summary, report))
        .isInstanceOf(ReportFiles.Unwritable.class)
        .hasMessage(
            "cannot write the report "
                + report
                + ": the directory "
                + report.getParent()
                + " does not exist; create it or point --report (STAGER_REPORT) elsewhere");
    assertThat(report.getParent()).doesNotExist();
  }
}
