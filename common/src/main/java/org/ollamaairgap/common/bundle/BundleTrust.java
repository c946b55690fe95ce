package org.ollamaairgap.common.bundle;

import java.io.IOException;
import java.util.Map;
import org.ollamaairgap.common.digest.Sha256;
import org.ollamaairgap.common.model.Digest;
import org.ollamaairgap.common.model.ModelName;
import org.ollamaairgap.common.sign.Envelope;
import org.ollamaairgap.common.sign.EnvelopeVerifier;
import org.ollamaairgap.common.sign.SignatureCheckException;
import org.ollamaairgap.common.sign.Statement;
import org.ollamaairgap.common.sign.StoreSubjects;

/**
 * What an import with trusted keys checks: the bundle's {@code inventory.dsse.json} verifies with
 * one of the keys, and every model's manifest is a subject of the signed statement with the same
 * digest. An envelope from another store, even one signed with the right key, lists other manifests
 * and so fails per model.
 */
public final class BundleTrust {
  private final EnvelopeVerifier verifier;

  public BundleTrust(EnvelopeVerifier verifier) {
    this.verifier = verifier;
  }

  /** The signed statement of the bundle, or why the bundle's signature cannot be trusted. */
  public Statement check(BundleSource source)
      throws IOException, BundleException, SignatureCheckException {
    String where = OciLayout.ENVELOPE + " in " + source.describe();
    byte[] json = source.file(OciLayout.ENVELOPE);
    if (json == null) {
      throw new SignatureCheckException(
          SignatureCheckException.Reason.MISSING,
          "signed inventory "
              + where
              + " is missing: the bundle is unsigned; export it with --signing-key"
              + " (STAGER_SIGNING_KEY), or import without --trust-key");
    }
    EnvelopeVerifier.Verified verified =
        verifier.verify(Envelope.parse(json, where), where, Statement.PAYLOAD_TYPE);
    Statement statement = Statement.parse(verified.payload(), where, Statement.INVENTORY_PREDICATE);
    byte[] inventory = source.file(OciLayout.INVENTORY);
    Digest signed = statement.subjects().get(StoreSubjects.INVENTORY);
    if (inventory != null && signed != null && !Sha256.of(inventory).equals(signed)) {
      throw new SignatureCheckException(
          SignatureCheckException.Reason.TAMPERED,
          OciLayout.INVENTORY
              + " in "
              + source.describe()
              + " has SHA-256 "
              + Sha256.of(inventory)
              + ", but the signed inventory says "
              + signed
              + ": it was changed after signing");
    }
    return statement;
  }

  /** Why this model is not covered by the signed statement, or null when it is. */
  public static String problem(Statement statement, ModelName name, Digest manifest) {
    String subject = StoreSubjects.manifest(name);
    for (Map.Entry<String, Digest> e : statement.subjects().entrySet()) {
      // Ollama compares names case-insensitively, and so does this.
      if (e.getKey().equalsIgnoreCase(subject)) {
        return e.getValue().equals(manifest)
            ? null
            : "model "
                + name
                + ": its manifest in the bundle is "
                + manifest
                + ", but the signed inventory lists "
                + e.getValue()
                + " (the bundle was changed, or the envelope is from another export)";
      }
    }
    return "model "
        + name
        + " is not in the signed inventory ("
        + subject
        + " is not among its subjects): the envelope is from another store or export";
  }
}
