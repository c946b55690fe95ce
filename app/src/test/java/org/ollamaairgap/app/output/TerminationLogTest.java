package org.ollamaairgap.app.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TerminationLogTest {
  @TempDir Path dir;

  @Test
  void writesAnExistingFileOnly() throws Exception {
    Path file = Files.writeString(dir.resolve("termination-log"), "old reason that is longer");
    assertThat(TerminationLog.write(file, "new\nreason")).isTrue();
    assertThat(Files.readString(file)).isEqualTo("new reason");

    Path absent = dir.resolve("absent");
    assertThat(TerminationLog.write(absent, "reason")).isFalse();
    assertThat(absent).doesNotExist();
  }

  @Test
  void clipsToKubernetesLimitOnACharacterBoundary() {
    String ascii = "a".repeat(5000);
    assertThat(TerminationLog.clip(ascii)).hasSize(4096).endsWith("...");

    String wide = "é".repeat(3000); // 2 bytes each
    String clipped = TerminationLog.clip(wide);
    assertThat(clipped.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(4096);
    assertThat(clipped).endsWith("...").startsWith("éé");
    assertThat(clipped.substring(0, clipped.length() - 3)).matches("é+");

    assertThat(TerminationLog.clip("short")).isEqualTo("short");
    assertThat(TerminationLog.clip("a".repeat(4096))).hasSize(4096).doesNotEndWith("...");
  }
}
