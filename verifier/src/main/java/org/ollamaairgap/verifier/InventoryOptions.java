package org.ollamaairgap.verifier;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ollamaairgap.app.UsageException;
import org.ollamaairgap.app.cli.Setting;
import org.ollamaairgap.common.model.Digest;
import org.ollamaairgap.common.model.StoreException;
import org.ollamaairgap.common.sign.Ed25519Keys;
import org.ollamaairgap.common.sign.SignatureCheckException;
import org.ollamaairgap.common.sign.TrustedKey;
import org.ollamaairgap.common.verify.InventoryTrust;

/**
 * The options that make the store's inventory trusted: a pinned digest, trusted public keys for its
 * signature, and whether a model it does not list fails the check.
 */
final class InventoryOptions {
  static final Setting INVENTORY_DIGEST =
      Setting.value(
          "--inventory-digest",
          "verifier.inventory-digest",
          "VERIFIER_INVENTORY_DIGEST",
          "sha256:HEX",
          "Trust the store's inventory (.ollama-airgap/inventory.json) if it hashes to this:"
              + " its models are required and pinned, its blobs checked chunk by chunk on"
              + " every core. The stager prints it as inventoryDigest.");

  static final Setting TRUST_KEY =
      Setting.list(
          "--trust-key",
          "verifier.trust-key",
          "VERIFIER_TRUST_KEY",
          "FILE,...",
          "Trust the store's inventory if its envelope (.ollama-airgap/inventory.dsse.json)"
              + " verifies with one of these PEM Ed25519 public keys (several for rotation).");

  static final Setting ONLY_TRUSTED =
      Setting.toggle(
          "--only-trusted",
          "verifier.only-trusted",
          "VERIFIER_ONLY_TRUSTED",
          "A model on disk that the trusted inventory does not list is an ERROR.");

  /** What makes the store's inventory trusted, from the three options; bad values exit 2. */
  static InventoryTrust trust(VerifierConfig config) throws UsageException {
    Digest pin = null;
    String text = config.inventoryDigest().map(String::strip).orElse("");
    if (!text.isEmpty()) {
      try {
        pin = Digest.parse(text);
      } catch (StoreException e) {
        throw new UsageException(
            INVENTORY_DIGEST.names()
                + ": "
                + e.getMessage()
                + "; give the inventoryDigest the stager printed",
            e);
      }
    }
    List<TrustedKey> keys = new ArrayList<>();
    for (Path file : config.trustKey().orElse(List.of())) {
      try {
        keys.addAll(Ed25519Keys.readPublic(file));
      } catch (SignatureCheckException e) {
        throw new UsageException(TRUST_KEY.names() + ": " + e.getMessage(), e);
      }
    }
    if (config.onlyTrusted() && pin == null && keys.isEmpty()) {
      throw new UsageException(
          ONLY_TRUSTED.names()
              + " needs a trusted inventory: give "
              + INVENTORY_DIGEST.names()
              + " or "
              + TRUST_KEY.names());
    }
    return new InventoryTrust(pin, keys, config.onlyTrusted());
  }

  private InventoryOptions() {}
}
