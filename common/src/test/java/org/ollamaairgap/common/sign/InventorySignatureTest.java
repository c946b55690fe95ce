package org.ollamaairgap.common.sign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ollamaairgap.common.digest.Sha256;
import org.ollamaairgap.common.model.Manifest;
import org.ollamaairgap.common.model.ModelName;
import org.ollamaairgap.common.sign.SignatureCheckException.Reason;
import org.ollamaairgap.testing.SyntheticModel;

class InventorySignatureTest {
  static final SyntheticModel TINY = SyntheticModel.typical("tiny", 1, 10_000);

  @TempDir Path dir;

  @Test
  void signedInventory_checks_yieldingItsDigest_andAChangedInventoryIsTampered() throws Exception {
    Openssl openssl = new Openssl(dir);
    Path[] pair = openssl.keyPair("k");
    byte[] inventory = "{\"version\":1}".getBytes(StandardCharsets.UTF_8);
    Map<ModelName, Manifest> models = new LinkedHashMap<>();
    models.put(TINY.name(), TINY.manifest());
    Envelope e =
        InventorySignature.sign(new Signer(Ed25519Keys.readPrivate(pair[0])), inventory, models);
    Path inv = Files.write(dir.resolve("inventory.json"), inventory);
    Path env = Files.write(dir.resolve("inventory.dsse.json"), e.toJson());
    EnvelopeVerifier verifier = new EnvelopeVerifier(Ed25519Keys.readPublic(pair[1]));

    InventorySignature.Trusted t = InventorySignature.check(verifier, env, inv);

    assertThat(t.inventoryDigest()).isEqualTo(Sha256.of(inventory));
    assertThat(t.statement().subjects())
        .containsEntry("manifests/registry.ollama.ai/library/tiny/latest", TINY.manifest().digest())
        .containsKeys(
            TINY.blobs().keySet().stream().map(StoreSubjects::blob).toArray(String[]::new));

    Files.writeString(inv, "{\"version\":2}");
    assertThatThrownBy(() -> InventorySignature.check(verifier, env, inv))
        .isInstanceOfSatisfying(
            SignatureCheckException.class, x -> assertThat(x.reason()).isEqualTo(Reason.TAMPERED))
        .hasMessageContaining("the inventory was changed after signing");
    Files.delete(inv);
    assertThatThrownBy(() -> InventorySignature.check(verifier, env, inv))
        .hasMessageContaining("is missing, but");
  }
}
