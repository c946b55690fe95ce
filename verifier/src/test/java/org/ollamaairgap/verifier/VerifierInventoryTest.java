package org.ollamaairgap.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ollamaairgap.common.digest.ChunkedHash;
import org.ollamaairgap.common.digest.Sha256;
import org.ollamaairgap.common.inventory.InventoryFile;
import org.ollamaairgap.common.inventory.StoreInventory;
import org.ollamaairgap.common.model.Digest;
import org.ollamaairgap.common.model.Manifest;
import org.ollamaairgap.common.model.ModelName;
import org.ollamaairgap.common.sign.Ed25519Keys;
import org.ollamaairgap.common.sign.Envelope;
import org.ollamaairgap.common.sign.InventorySignature;
import org.ollamaairgap.common.sign.Signer;
import org.ollamaairgap.common.store.StoreWriter;
import org.ollamaairgap.testing.OpensslKeys;
import org.ollamaairgap.testing.StoreBuilder;
import org.ollamaairgap.testing.SyntheticModel;

/**
 * The verifier's main with a trusted inventory: {@code --inventory-digest} pinned, wrong-pinned and
 * missing; {@code --trust-key} right, wrong, tampered, no envelope; {@code --only-trusted}.
 */
@QuarkusMainTest
class VerifierInventoryTest {
  private static final SyntheticModel LLAMA = VerifierMainTest.LLAMA;
  private static final SyntheticModel PHI = VerifierMainTest.PHI;
  private static final long CHUNK = 8192;

  @TempDir Path dir;

  private StoreBuilder store;
  private Digest pin;
  private OpensslKeys.Pair keys;
  private OpensslKeys.Pair other;

  private void stage() throws Exception {
    store = StoreBuilder.at(dir.resolve("models")).add(LLAMA).add(PHI);
    Map<ModelName, Manifest> manifests = new LinkedHashMap<>();
    Map<Digest, ChunkedHash> hashes = new LinkedHashMap<>();
    for (SyntheticModel m : List.of(LLAMA, PHI)) {
      manifests.put(m.name(), m.manifest());
      for (Digest d : m.blobs().keySet()) {
        hashes.put(d, Sha256.fileChunked(store.blob(d), CHUNK, n -> {}));
      }
    }
    StoreInventory inventory = StoreInventory.of(manifests, hashes);
    pin = InventoryFile.write(new StoreWriter(store.layout()), inventory);
    keys = OpensslKeys.generate(dir, "staging");
    other = OpensslKeys.generate(dir, "other");
    Envelope envelope =
        InventorySignature.sign(
            new Signer(Ed25519Keys.readPrivate(keys.key())),
            InventoryFile.toJson(inventory),
            manifests);
    Files.write(store.layout().inventorySignature(), envelope.toJson());
  }

  private LaunchResult launch(QuarkusMainLauncher launcher, String... more) {
    List<String> args = new java.util.ArrayList<>();
    args.add("--models-dir=" + store.root());
    args.add("--termination-log=" + dir.resolve("termination-log"));
    args.addAll(List.of(more));
    return launcher.launch(args.toArray(String[]::new));
  }

  @Test
  void pinnedInventory_exitsZero(QuarkusMainLauncher launcher) throws Exception {
    stage();

    LaunchResult result = launch(launcher, "--inventory-digest=" + pin);

    assertThat(result.exitCode()).as(result.getOutput()).isZero();
    assertThat(result.getOutput()).contains("OK: verified 2 models, 8 blobs, 244.6 KiB hashed in");
  }

  @Test
  void pinnedInventory_damagedByte_exitsOneNamingTheChunk(QuarkusMainLauncher launcher)
      throws Exception {
    stage();
    store.flipByte(VerifierMainTest.LLAMA_WEIGHTS, 3 * CHUNK + 1);

    LaunchResult result = launch(launcher, "--inventory-digest=" + pin);

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.getOutput())
        .contains(
            "ERROR BLOB_DIGEST_MISMATCH model=llama3:8b blob="
                + VerifierMainTest.LLAMA_WEIGHTS
                + " expected chunk 3 at byte 24576 sha256=")
        .contains("chunk 3 (bytes 24576-32767) has SHA-256 ");
  }

  @Test
  void wrongPin_exitsOneNamingTheInventory(QuarkusMainLauncher launcher) throws Exception {
    stage();
    Digest other = Sha256.of(new byte[] {1});

    LaunchResult result = launch(launcher, "--inventory-digest=" + other);

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.getOutput())
        .contains(
            "ERROR INVENTORY_NOT_TRUSTED path="
                + store.layout().inventory()
                + " expected "
                + other
                + ": inventory "
                + store.layout().inventory()
                + " has SHA-256 "
                + pin
                + ", not the pinned "
                + other)
        .contains("What to do: set --inventory-digest (VERIFIER_INVENTORY_DIGEST) to the");
  }

  @Test
  void missingInventory_exitsOne(QuarkusMainLauncher launcher) throws Exception {
    stage();
    Files.delete(store.layout().inventory());

    LaunchResult result = launch(launcher, "--inventory-digest=" + pin);

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.getOutput())
        .contains(
            "ERROR INVENTORY_NOT_TRUSTED path="
                + store.layout().inventory()
                + " expected "
                + pin
                + ": inventory "
                + store.layout().inventory()
                + " does not exist");
  }

  @Test
  void badDigest_exitsTwo(QuarkusMainLauncher launcher) throws Exception {
    stage();

    LaunchResult result = launch(launcher, "--inventory-digest=sha256:abc");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.getErrorOutput())
        .contains("--inventory-digest (VERIFIER_INVENTORY_DIGEST): ")
        .contains("give the inventoryDigest the stager printed");
  }

  @Test
  void signedInventory_trustedKey_exitsZero(QuarkusMainLauncher launcher) throws Exception {
    stage();

    LaunchResult result =
        launch(launcher, "--trust-key=" + other.pub() + "," + keys.pub(), "--only-trusted");

    assertThat(result.exitCode()).as(result.getOutput()).isZero();
  }

  @Test
  void signedInventory_wrongKey_exitsOne(QuarkusMainLauncher launcher) throws Exception {
    stage();

    LaunchResult result = launch(launcher, "--trust-key=" + other.pub());

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.getOutput())
        .contains("ERROR INVENTORY_NOT_TRUSTED path=" + store.layout().inventorySignature())
        .contains("What to do: give the public key of the key that signed it with --trust-key");
  }

  @Test
  void signedInventory_changedAfterSigning_exitsOne(QuarkusMainLauncher launcher) throws Exception {
    stage();
    Path inventory = store.layout().inventory();
    Files.writeString(inventory, Files.readString(inventory).replace("  ", "   "));

    LaunchResult result = launch(launcher, "--trust-key=" + keys.pub());

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.getOutput())
        .contains("ERROR INVENTORY_NOT_TRUSTED")
        .contains("the inventory was changed after signing");
  }

  @Test
  void signedInventory_noEnvelope_exitsOne(QuarkusMainLauncher launcher) throws Exception {
    stage();
    Files.delete(store.layout().inventorySignature());

    LaunchResult result = launch(launcher, "--trust-key=" + keys.pub());

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.getOutput())
        .contains("ERROR INVENTORY_NOT_TRUSTED path=" + store.layout().inventorySignature())
        .contains("stage the store with --signing-key (STAGER_SIGNING_KEY)");
  }

  @Test
  void onlyTrusted_modelNotListed_exitsOne(QuarkusMainLauncher launcher) throws Exception {
    stage();
    store.add(SyntheticModel.typical("extra:1", 9, 1000));

    LaunchResult result = launch(launcher, "--inventory-digest=" + pin, "--only-trusted");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.getOutput())
        .contains(
            "ERROR UNTRUSTED_MODEL model=extra:1 path="
                + store.manifest("extra:1")
                + " expected a model of the trusted inventory actual not listed: model extra:1 is"
                + " in the store but not in the trusted inventory");
    assertThat(launch(launcher, "--inventory-digest=" + pin).exitCode()).isZero();
  }

  @Test
  void onlyTrusted_withoutTrust_exitsTwo(QuarkusMainLauncher launcher) throws Exception {
    stage();

    LaunchResult result = launch(launcher, "--only-trusted");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.getErrorOutput())
        .contains("--only-trusted (VERIFIER_ONLY_TRUSTED) needs a trusted inventory");
  }

  @Test
  void trustKeyThatIsPrivate_exitsTwo(QuarkusMainLauncher launcher) throws Exception {
    stage();

    LaunchResult result = launch(launcher, "--trust-key=" + keys.key());

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.getErrorOutput()).contains("--trust-key (VERIFIER_TRUST_KEY): ");
    assertThat(result.getOutput() + result.getErrorOutput()).doesNotContain("PRIVATE KEY-----\n");
  }
}
