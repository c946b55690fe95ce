package org.ollamaairgap.common.sign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ollamaairgap.common.digest.Sha256;
import org.ollamaairgap.common.model.Descriptor;
import org.ollamaairgap.common.model.Digest;
import org.ollamaairgap.common.model.Manifest;
import org.ollamaairgap.common.model.ModelName;
import org.ollamaairgap.common.sign.SignatureCheckException.Reason;

/**
 * Signs a store's inventory and checks such a signature: the bridge between the inventory file
 * ({@code <store>/.ollama-airgap/inventory.json}) and its envelope ({@code inventory.dsse.json}).
 * The statement's subjects are the inventory file, each model's manifest and each blob (see {@link
 * StoreSubjects}); the predicate is the inventory itself. A checked envelope yields the inventory
 * digest it vouches for, so a trusted key works exactly like a pinned {@code --inventory-digest}.
 */
public final class InventorySignature {
  private static final ObjectMapper JSON = new ObjectMapper();

  private InventorySignature() {}

  /** The envelope for an inventory over these models (name to the manifest now in the store). */
  public static Envelope sign(Signer signer, byte[] inventory, Map<ModelName, Manifest> models)
      throws IOException {
    List<Statement.Subject> subjects = new ArrayList<>();
    subjects.add(new Statement.Subject(StoreSubjects.INVENTORY, Sha256.of(inventory)));
    for (Map.Entry<ModelName, Manifest> m : models.entrySet()) {
      subjects.add(
          new Statement.Subject(StoreSubjects.manifest(m.getKey()), m.getValue().digest()));
    }
    for (Manifest manifest : models.values()) {
      for (Descriptor d : manifest.blobs().values()) {
        subjects.add(new Statement.Subject(StoreSubjects.blob(d.digest()), d.digest()));
      }
    }
    JsonNode predicate = JSON.readTree(inventory);
    Statement statement = Statement.of(dedupe(subjects), Statement.INVENTORY_PREDICATE, predicate);
    return signer.sign(Statement.PAYLOAD_TYPE, statement.toJson());
  }

  private static List<Statement.Subject> dedupe(List<Statement.Subject> subjects) {
    Map<String, Statement.Subject> seen = new java.util.LinkedHashMap<>();
    subjects.forEach(s -> seen.putIfAbsent(s.name(), s));
    return new ArrayList<>(seen.values());
  }

  /** What a checked envelope vouches for. */
  public record Trusted(Statement statement, Digest inventoryDigest, TrustedKey key) {}

  /**
   * Checks {@code envelopeFile} with the trusted keys and that {@code inventoryFile} is the signed
   * inventory. Every doubt is a {@link SignatureCheckException} naming which; never a fallback.
   */
  public static Trusted check(EnvelopeVerifier verifier, Path envelopeFile, Path inventoryFile)
      throws SignatureCheckException {
    EnvelopeVerifier.Verified v = verifier.verifyFile(envelopeFile, Statement.PAYLOAD_TYPE);
    Statement statement =
        Statement.parse(v.payload(), envelopeFile.toString(), Statement.INVENTORY_PREDICATE);
    Digest signed = statement.subjects().get(StoreSubjects.INVENTORY);
    if (signed == null) {
      throw new SignatureCheckException(
          Reason.MALFORMED,
          "signed inventory " + envelopeFile + " has no subject " + StoreSubjects.INVENTORY);
    }
    Digest actual;
    try {
      actual = Sha256.file(inventoryFile, n -> {}).digest();
    } catch (NoSuchFileException e) {
      throw new SignatureCheckException(
          Reason.MISSING,
          "inventory " + inventoryFile + " is missing, but " + envelopeFile + " signs one",
          e);
    } catch (IOException e) {
      throw new SignatureCheckException(
          Reason.MISSING, "cannot read inventory " + inventoryFile + ": " + e.getMessage(), e);
    }
    if (!actual.equals(signed)) {
      throw new SignatureCheckException(
          Reason.TAMPERED,
          "inventory "
              + inventoryFile
              + " has SHA-256 "
              + actual
              + ", but "
              + envelopeFile
              + " signs "
              + signed
              + ": the inventory was changed after signing (or the envelope is from another"
              + " store); re-run the stager with --signing-key (STAGER_SIGNING_KEY)");
    }
    if (!Files.isRegularFile(inventoryFile)) {
      throw new SignatureCheckException(Reason.MISSING, inventoryFile + " is not a regular file");
    }
    return new Trusted(statement, signed, v.key());
  }
}
