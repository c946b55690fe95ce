package org.ollamaairgap.stager.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ollamaairgap.common.digest.Sha256;
import org.ollamaairgap.common.model.ModelName;
import org.ollamaairgap.common.progress.Outcome;
import org.ollamaairgap.common.store.StoreLayout;
import org.ollamaairgap.testing.SyntheticBlob;
import org.ollamaairgap.testing.SyntheticModel;

class InventoryReaderTest {
  @TempDir Path root;

  @Test
  void read_takesDigestSizeAndBlobsFromTheStore_andPinsOnlyVerifiedModels() throws Exception {
    StoreLayout layout = new StoreLayout(root);
    SyntheticModel llama = SyntheticModel.typical("llama3.2:3b", 1, 4096);
    SyntheticModel embed =
        SyntheticModel.named("nomic-embed-text")
            .layer(SyntheticModel.LICENSE, SyntheticBlob.text("MIT"))
            .build();
    writeManifest(layout, llama);
    writeManifest(layout, embed);
    ModelName missing = ModelName.parse("qwen3:8b");

    Inventory inventory =
        new InventoryReader(layout)
            .read(
                List.of(
                    new InventoryReader.Verdict(llama.name(), Outcome.DONE, null),
                    new InventoryReader.Verdict(embed.name(), Outcome.FAILED, "digest mismatch"),
                    new InventoryReader.Verdict(missing, Outcome.FAILED, "not found")),
                Instant.parse("2026-11-29T05:00:00Z"),
                "stager-pod");

    String llamaDigest = Sha256.of(llama.manifestBytes()).toString();
    assertThat(inventory.store()).isEqualTo(root.toString());
    assertThat(inventory.generatedAt()).isEqualTo("2026-11-29T05:00:00Z");
    assertThat(inventory.models())
        .extracting(
            InventoryModel::name,
            InventoryModel::manifestDigest,
            InventoryModel::sizeBytes,
            InventoryModel::blobCount,
            InventoryModel::outcome,
            InventoryModel::reason)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "registry.ollama.ai/library/llama3.2:3b",
                llamaDigest,
                llama.manifest().totalSize(),
                llama.manifest().blobs().size(),
                Outcome.DONE,
                null),
            org.assertj.core.groups.Tuple.tuple(
                "registry.ollama.ai/library/nomic-embed-text:latest",
                Sha256.of(embed.manifestBytes()).toString(),
                embed.manifest().totalSize(),
                2,
                Outcome.FAILED,
                "digest mismatch"),
            org.assertj.core.groups.Tuple.tuple(
                "registry.ollama.ai/library/qwen3:8b",
                null,
                0L,
                0,
                Outcome.FAILED,
                "not found; no manifest in the store at " + layout.manifest(missing)));
    assertThat(inventory.models().get(0).stagedAt())
        .isEqualTo(Files.getLastModifiedTime(layout.manifest(llama.name())).toInstant().toString());
    assertThat(inventory.expect())
        .isEqualTo("registry.ollama.ai/library/llama3.2:3b@" + llamaDigest)
        .matches("registry\\.ollama\\.ai/library/llama3\\.2:3b@sha256:[0-9a-f]{64}");
  }

  @Test
  void read_doneButManifestGone_isFailedAndNotPinned() throws Exception {
    ModelName name = ModelName.parse("llama3.2:1b");
    Inventory inventory =
        new InventoryReader(new StoreLayout(root))
            .read(
                List.of(new InventoryReader.Verdict(name, Outcome.DONE, null)),
                Instant.EPOCH,
                "me");
    assertThat(inventory.models().get(0).outcome()).isEqualTo(Outcome.FAILED);
    assertThat(inventory.expect()).isEmpty();
  }

  private static void writeManifest(StoreLayout layout, SyntheticModel model) throws Exception {
    Path file = layout.manifest(model.name());
    Files.createDirectories(file.getParent());
    Files.write(file, model.manifestBytes());
  }
}
