package org.ollamaairgap.common.verify;

import java.util.ArrayList;
import java.util.List;
import org.ollamaairgap.common.inventory.InventoryException;
import org.ollamaairgap.common.inventory.InventoryFile;
import org.ollamaairgap.common.inventory.StoreInventory;
import org.ollamaairgap.common.model.Digest;
import org.ollamaairgap.common.sign.EnvelopeVerifier;
import org.ollamaairgap.common.sign.InventorySignature;
import org.ollamaairgap.common.sign.SignatureCheckException;
import org.ollamaairgap.common.store.StoreLayout;

/**
 * The store's inventory, trusted because its bytes hash to the digest production pinned, or to the
 * digest a DSSE envelope signed by a trusted key vouches for. Any doubt (no file, unreadable, other
 * bytes, not a valid inventory, an envelope missing, unsigned, wrongly signed or tampered) is an
 * ERROR naming which; the blobs are then hashed whole as without an inventory, never checked
 * against an untrusted file.
 */
final class TrustedInventory {
  private static final String PIN = "--inventory-digest (VERIFIER_INVENTORY_DIGEST)";
  private static final String KEY = "--trust-key (VERIFIER_TRUST_KEY)";

  private TrustedInventory() {}

  /** The inventory {@code trust} vouches for, or null after adding the ERROR saying why not. */
  static StoreInventory load(StoreLayout layout, InventoryTrust trust, Findings findings) {
    Digest digest = trust.pin();
    if (!trust.keys().isEmpty()) {
      Digest signed;
      try {
        signed =
            InventorySignature.check(
                    new EnvelopeVerifier(trust.keys()),
                    layout.inventorySignature(),
                    layout.inventory())
                .inventoryDigest();
      } catch (SignatureCheckException e) {
        findings.add(
            notTrusted(
                layout.inventorySignature().toString(),
                null,
                e.getMessage(),
                signatureHint(e.reason())));
        return null;
      }
      if (digest != null && !digest.equals(signed)) {
        findings.add(
            notTrusted(
                layout.inventory().toString(),
                digest.toString(),
                "the signed inventory is "
                    + signed
                    + ", not the pinned "
                    + digest
                    + " (both "
                    + PIN
                    + " and "
                    + KEY
                    + " are given, so both must hold)",
                "give the pin of the signed inventory, or only one of the two options"));
        return null;
      }
      digest = signed;
    }
    try {
      return InventoryFile.read(layout.inventory(), digest).inventory();
    } catch (InventoryException e) {
      findings.add(
          notTrusted(
              layout.inventory().toString(),
              digest.toString(),
              e.getMessage(),
              hint(e.reason(), trust.keys().isEmpty())));
      return null;
    }
  }

  /** Every model the inventory lists must be there, with the manifest it lists. */
  static List<Requirement> requirements(StoreInventory inventory) {
    List<Requirement> pins = new ArrayList<>();
    for (StoreInventory.Model model : inventory.models().values()) {
      pins.add(new Requirement(model.name(), model.manifestDigest()));
    }
    return pins;
  }

  /** {@code --only-trusted}: a model on disk that the inventory does not list is an ERROR. */
  static void onlyListed(
      StoreInventory inventory,
      List<ManifestEntry> entries,
      StoreLayout layout,
      Findings findings) {
    for (ManifestEntry entry : entries) {
      if (entry.name() == null || inventory.model(entry.name()) != null) {
        continue; // an invalid name is its own ERROR already
      }
      findings.add(
          new Finding(
              FindingKind.UNTRUSTED_MODEL,
              entry.display(),
              null,
              entry.file().toString(),
              "a model of the trusted inventory",
              "not listed",
              "model "
                  + entry.display()
                  + " is in the store but not in the trusted inventory, and --only-trusted"
                  + " (VERIFIER_ONLY_TRUSTED) is set",
              "remove it on the writable side, or stage it with the other models so that the"
                  + " inventory lists it"));
    }
  }

  private static Finding notTrusted(String path, String expected, String message, String hint) {
    return new Finding(
        FindingKind.INVENTORY_NOT_TRUSTED, null, null, path, expected, null, message, hint);
  }

  private static String hint(InventoryException.Reason reason, boolean pinned) {
    String fix =
        pinned
            ? "set "
                + PIN
                + " to the inventoryDigest of the stager run that filled this store (its summary,"
                + " or the inventory ConfigMap's key inventoryDigest)"
            : "stage again on the writable side with --signing-key (STAGER_SIGNING_KEY)";
    return switch (reason) {
      case MISSING -> "stage the store with the stager, which writes the inventory, then " + fix;
      case UNREADABLE -> "check the file's permissions and the mount";
      case NOT_PINNED -> fix + "; if nobody staged since, the file was changed: stage again";
      case MALFORMED, UNSUPPORTED_VERSION, TRUNCATED_CHUNKS, BAD_CHUNKING, DUPLICATE ->
          "the file is damaged or from another release: stage again on the writable side, then "
              + fix;
    };
  }

  private static String signatureHint(SignatureCheckException.Reason reason) {
    return switch (reason) {
      case MISSING, UNSIGNED ->
          "stage the store with --signing-key (STAGER_SIGNING_KEY) so that the stager signs its"
              + " inventory";
      case WRONG_KEY ->
          "give the public key of the key that signed it with "
              + KEY
              + ", or re-sign with a"
              + " trusted key";
      case TAMPERED, MALFORMED, UNKNOWN_PAYLOAD_TYPE, BAD_KEY ->
          "the inventory or its envelope was changed after signing: stage again on the writable"
              + " side with --signing-key (STAGER_SIGNING_KEY)";
    };
  }
}
