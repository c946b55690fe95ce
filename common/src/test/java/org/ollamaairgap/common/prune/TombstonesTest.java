package org.ollamaairgap.common.prune;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ollamaairgap.common.model.Digest;
import org.ollamaairgap.common.store.StoreLayout;
import org.ollamaairgap.common.store.StoreWriter;

class TombstonesTest {
  static final String HEX = "ab".repeat(32);

  @TempDir Path dir;

  @Test
  void roundTrip() throws Exception {
    StoreLayout layout = new StoreLayout(dir);
    Files.createDirectories(layout.stagingDir());
    Tombstone t =
        new Tombstone(
            Digest.parse("sha256:" + HEX), 42, Instant.parse("2026-12-01T00:00:00Z"), "m");
    Tombstones.of(List.of(t)).write(new StoreWriter(layout), layout.tombstones());
    Tombstones.Read read = Tombstones.read(layout.tombstones());
    assertThat(read.warning()).isNull();
    assertThat(read.tombstones().all()).containsExactly(t);
  }

  @Test
  void aMissingFileIsAnEmptyListWithoutWarning() {
    Tombstones.Read read = Tombstones.read(dir.resolve("none.json"));
    assertThat(read.warning()).isNull();
    assertThat(read.tombstones().isEmpty()).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "not json|{oops|",
        "other kind|{\"kind\":\"x\",\"version\":1,\"blobs\":[]}|kind",
        "newer version|{\"kind\":\"ollama-airgap/tombstones\",\"version\":2,\"blobs\":[]}|version",
        "unknown key|{\"kind\":\"ollama-airgap/tombstones\",\"version\":1,\"blobs\":[],\"x\":1}|unknown key",
        "duplicate key|{\"kind\":\"ollama-airgap/tombstones\",\"kind\":\"ollama-airgap/tombstones\",\"version\":1,\"blobs\":[]}|kind",
        "negative size|{\"kind\":\"ollama-airgap/tombstones\",\"version\":1,\"blobs\":[{\"digest\":\"sha256:HEX\",\"size\":-1,\"since\":\"2026-12-01T00:00:00Z\",\"model\":\"\"}]}|size",
        "bad time|{\"kind\":\"ollama-airgap/tombstones\",\"version\":1,\"blobs\":[{\"digest\":\"sha256:HEX\",\"size\":1,\"since\":\"yesterday\",\"model\":\"\"}]}|yesterday",
        "bad digest|{\"kind\":\"ollama-airgap/tombstones\",\"version\":1,\"blobs\":[{\"digest\":\"sha256:zz\",\"size\":1,\"since\":\"2026-12-01T00:00:00Z\",\"model\":\"\"}]}|sha256:zz",
        "listed twice|{\"kind\":\"ollama-airgap/tombstones\",\"version\":1,\"blobs\":[{\"digest\":\"sha256:HEX\",\"size\":1,\"since\":\"2026-12-01T00:00:00Z\",\"model\":\"\"},{\"digest\":\"sha256:HEX\",\"size\":1,\"since\":\"2026-12-01T00:00:00Z\",\"model\":\"\"}]}|twice",
      })
  void aFileThatCannotBeTrustedIsIgnoredWholeWithAWarning(String why, String json, String says)
      throws Exception {
    Path file = dir.resolve("tombstones.json");
    Files.writeString(file, json.replace("HEX", HEX));
    Tombstones.Read read = Tombstones.read(file);
    assertThat(read.tombstones().isEmpty()).isTrue();
    assertThat(read.warning()).contains(file.toString(), "deleted later, never earlier");
    if (says != null) {
      assertThat(read.warning()).contains(says);
    }
  }

  @Test
  void aDirectoryInItsPlaceIsIgnored() throws Exception {
    Path file = Files.createDirectories(dir.resolve("tombstones.json"));
    assertThat(Tombstones.read(file).warning()).contains("not a regular file");
  }
}
