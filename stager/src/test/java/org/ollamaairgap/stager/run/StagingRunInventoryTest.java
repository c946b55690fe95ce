package org.ollamaairgap.stager.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ollamaairgap.common.digest.ChunkVerdict;
import org.ollamaairgap.common.digest.ChunkVerifier;
import org.ollamaairgap.common.digest.ChunkedHash;
import org.ollamaairgap.common.digest.Sha256;
import org.ollamaairgap.common.inventory.InventoryFile;
import org.ollamaairgap.common.inventory.StoreInventory;
import org.ollamaairgap.common.model.Digest;
import org.ollamaairgap.common.model.ModelName;
import org.ollamaairgap.common.progress.PullListener;
import org.ollamaairgap.common.sign.Ed25519Keys;
import org.ollamaairgap.common.sign.EnvelopeVerifier;
import org.ollamaairgap.common.sign.InventorySignature;
import org.ollamaairgap.common.sign.Signer;
import org.ollamaairgap.common.store.StoreLayout;
import org.ollamaairgap.stager.progress.ProgressTracker;
import org.ollamaairgap.stager.testing.FakeDriver;
import org.ollamaairgap.stager.testing.TestClock;
import org.ollamaairgap.testing.OpensslKeys;
import org.ollamaairgap.testing.SyntheticModel;

/** Every run that gets to the end writes the store's inventory file of what it verified. */
class StagingRunInventoryTest {
  @TempDir Path tmp;

  private final AtomicLong hashed = new AtomicLong();

  private RunResult run(String... names) {
    return run(null, names);
  }

  private RunResult run(Signer signer, String... names) {
    StoreLayout layout = new StoreLayout(tmp.resolve("models"));
    ProgressTracker tracker =
        new ProgressTracker(new TestClock(Instant.parse("2026-01-01T00:00:00Z")));
    PullListener counter =
        new PullListener() {
          @Override
          public void hashed(ModelName model, long bytes) {
            hashed.addAndGet(bytes);
          }
        };
    return new StagingRun(layout, tracker, counter)
        .signedBy(signer)
        .run(List.of(names), () -> new FakeDriver(layout));
  }

  @Test
  void run_writesTheInventoryOfTheVerifiedModels_fromTheRehashAlone() throws Exception {
    RunResult result = run("ok-big:1", "ok-broken:1", "ok-b");

    assertThat(result.exitCode()).isEqualTo(1);
    StoreLayout layout = new StoreLayout(tmp.resolve("models"));
    InventoryFile.Read read = InventoryFile.read(layout.inventory(), result.inventoryDigest());
    assertThat(read.digest()).isEqualTo(Sha256.of(Files.readAllBytes(layout.inventory())));
    StoreInventory inventory = read.inventory();
    SyntheticModel big = FakeDriver.model(ModelName.parse("ok-big:1"));
    SyntheticModel b = FakeDriver.model(ModelName.parse("ok-b"));
    // The failed model is not in it: production must not trust what staging did not verify.
    assertThat(inventory.models().keySet()).containsExactly(b.name(), big.name()); // sorted
    assertThat(inventory.model(big.name()).manifestDigest()).isEqualTo(big.manifest().digest());
    assertThat(inventory.model(big.name()).blobs()).containsExactlyElementsOf(big.blobs().keySet());
    // The chunk digests are those of the files, and every blob was read exactly once.
    List<ChunkVerifier.Blob> blobs = new ArrayList<>();
    long total = 0;
    for (SyntheticModel m : List.of(big, b)) {
      for (Digest d : m.blobs().keySet()) {
        ChunkedHash listed = inventory.blobs().get(d);
        assertThat(listed)
            .isEqualTo(Sha256.fileChunked(layout.blob(d), ChunkedHash.DEFAULT_CHUNK_SIZE, n -> {}));
        blobs.add(new ChunkVerifier.Blob(layout.blob(d), listed));
        total += listed.size();
      }
    }
    assertThat(new ChunkVerifier(2).verify(blobs, n -> {}).values())
        .allSatisfy(v -> assertThat(v.status()).isEqualTo(ChunkVerdict.Status.OK));
    assertThat(hashed.get()).isEqualTo(total);
  }

  @Test
  void run_sameModelsAgain_sameInventoryDigest() {
    Digest first = run("ok-a:1", "ok-b").inventoryDigest();
    Digest second = run("ok-b", "ok-a:1").inventoryDigest();

    assertThat(first).isNotNull().isEqualTo(second);
  }

  @Test
  void run_stoppedByTheEnvironment_writesNoInventory() throws Exception {
    Files.createDirectories(tmp);
    Files.writeString(tmp.resolve("models"), "a file, not a store");

    RunResult result = run("ok-a:1");

    assertThat(result.exitCode()).isEqualTo(3);
    assertThat(result.inventoryDigest()).isNull();
  }

  @Test
  void run_withSigningKey_writesAnEnvelopeTheVerifierSideAccepts_andUnsignedRemovesIt()
      throws Exception {
    OpensslKeys.Pair keys = OpensslKeys.generate(Files.createDirectories(tmp.resolve("keys")), "k");
    Signer signer = new Signer(Ed25519Keys.readPrivate(keys.key()));
    StoreLayout layout = new StoreLayout(tmp.resolve("models"));

    Digest digest = run(signer, "ok-a:1", "ok-b").inventoryDigest();

    InventorySignature.Trusted trusted =
        InventorySignature.check(
            new EnvelopeVerifier(Ed25519Keys.readPublic(keys.pub())),
            layout.inventorySignature(),
            layout.inventory());
    assertThat(trusted.inventoryDigest()).isEqualTo(digest);
    java.util.Set<Digest> blobs = new java.util.HashSet<>();
    for (String name : List.of("ok-a:1", "ok-b")) {
      blobs.addAll(FakeDriver.model(ModelName.parse(name)).blobs().keySet());
    }
    // The inventory, the two manifests and their distinct blobs.
    assertThat(trusted.statement().subjects())
        .containsKey(".ollama-airgap/inventory.json")
        .hasSize(1 + 2 + blobs.size());

    run("ok-a:1", "ok-b");
    assertThat(layout.inventorySignature()).doesNotExist();
  }
}
