package org.ollamaairgap.app.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportFilesTest {
  @TempDir Path dir;

  @Test
  void writesWholeAndLeavesNoTempFile() throws Exception {
    Path report = dir.resolve("report.json");
    Files.writeString(report, "old");
    ReportFiles.write(report, "{}".getBytes(), "--report (X_REPORT)");
    assertThat(Files.readString(report)).isEqualTo("{}");
    try (var files = Files.list(dir)) {
      assertThat(files).containsExactly(report);
    }
  }

  @Test
  void aMissingDirectoryIsNamedAndNeverCreated() {
    Path report = dir.resolve("typo/report.json");
    assertThatThrownBy(() -> ReportFiles.write(report, "{}".getBytes(), "--report (X_REPORT)"))
        .isInstanceOf(ReportFiles.Unwritable.class)
        .hasMessage(
            "cannot write the report "
                + report
                + ": the directory "
                + report.getParent()
                + " does not exist; create it or point --report (X_REPORT) elsewhere");
    assertThat(report.getParent()).doesNotExist();
  }

  @Test
  void anUnwritableTargetSaysWhyInWords() throws Exception {
    Path report = Files.createDirectory(dir.resolve("report.json")); // a directory in the way
    Files.writeString(report.resolve("inside"), "x");
    assertThatThrownBy(() -> ReportFiles.write(report, "{}".getBytes(), "--report (X_REPORT)"))
        .isInstanceOf(ReportFiles.Unwritable.class)
        .hasMessageStartingWith("cannot write the report " + report + " (")
        .hasMessageEndingWith("point --report (X_REPORT) elsewhere")
        .hasMessageNotContaining("Exception");
  }
}
