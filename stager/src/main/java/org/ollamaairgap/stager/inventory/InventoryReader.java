package org.ollamaairgap.stager.inventory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.ollamaairgap.common.digest.Sha256;
import org.ollamaairgap.common.model.Manifest;
import org.ollamaairgap.common.model.ModelName;
import org.ollamaairgap.common.model.StoreException;
import org.ollamaairgap.common.progress.Outcome;
import org.ollamaairgap.common.store.StoreLayout;

/**
 * Builds the inventory from the store itself, not from what the run believes: the digest is the
 * SHA-256 of the manifest file's bytes, exactly what the verifier's {@code --expect} checks.
 */
public final class InventoryReader {

  /** The run's verdict on one model. */
  public record Verdict(ModelName name, Outcome outcome, String reason) {}

  private final StoreLayout layout;

  public InventoryReader(StoreLayout layout) {
    this.layout = layout;
  }

  /** Reads every model's manifest as it is now; never throws for a missing or bad manifest. */
  public Inventory read(List<Verdict> verdicts, Instant generatedAt, String generatedBy) {
    List<InventoryModel> models = new ArrayList<>();
    for (Verdict verdict : verdicts) {
      models.add(model(verdict));
    }
    return new Inventory(layout.root().toString(), generatedAt.toString(), generatedBy, models);
  }

  private InventoryModel model(Verdict outcome) {
    Path file = layout.manifest(outcome.name());
    String reason = outcome.reason();
    try {
      byte[] bytes = Files.readAllBytes(file);
      String stagedAt = Files.getLastModifiedTime(file).toInstant().toString();
      String digest = Sha256.of(bytes).toString();
      long size = 0;
      int blobs = 0;
      try {
        Manifest manifest = Manifest.parse(bytes);
        size = manifest.totalSize();
        blobs = manifest.blobs().size();
      } catch (StoreException e) {
        reason = join(reason, "the manifest in the store is not valid: " + e.getMessage());
      }
      Outcome verdict =
          reason != null && outcome.outcome() == Outcome.DONE ? Outcome.FAILED : outcome.outcome();
      return new InventoryModel(
          outcome.name().toString(), digest, size, blobs, stagedAt, verdict, reason);
    } catch (NoSuchFileException e) {
      return new InventoryModel(
          outcome.name().toString(),
          null,
          0,
          0,
          null,
          outcome.outcome() == Outcome.DONE ? Outcome.FAILED : outcome.outcome(),
          join(reason, "no manifest in the store at " + file));
    } catch (IOException e) {
      return new InventoryModel(
          outcome.name().toString(),
          null,
          0,
          0,
          null,
          Outcome.FAILED,
          join(reason, "cannot read the manifest " + file + ": " + e));
    }
  }

  private static String join(String first, String second) {
    return first == null ? second : first + "; " + second;
  }
}
