package org.ollamaairgap.common.sign;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.ollamaairgap.common.sign.SignatureCheckException.Reason;

/**
 * Decides whether a DSSE envelope was signed by one of the trusted keys. As the DSSE protocol asks,
 * the signature is checked over the PAE bytes first and the payload type only after; the {@code
 * keyid} is an unauthenticated hint, so every trusted key is tried against every signature.
 */
public final class EnvelopeVerifier {
  private final List<TrustedKey> keys;

  public EnvelopeVerifier(List<TrustedKey> keys) {
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("at least one trusted key is needed");
    }
    this.keys = List.copyOf(keys);
  }

  /** What verified: the payload and the trusted key that signed it. */
  public record Verified(byte[] payload, TrustedKey key) {
    public Verified {
      payload = payload.clone();
    }

    @Override
    public byte[] payload() {
      return payload.clone();
    }
  }

  /** Reads and verifies an envelope file. */
  public Verified verifyFile(Path file, String expectedPayloadType) throws SignatureCheckException {
    byte[] bytes;
    try {
      if (Files.size(file) > Envelope.MAX_BYTES) {
        throw new SignatureCheckException(
            Reason.MALFORMED,
            "signed inventory " + file + " is " + Files.size(file) + " bytes, too big to be one");
      }
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new SignatureCheckException(
          Reason.MISSING,
          "signed inventory "
              + file
              + " is missing: the store or bundle was not signed; sign it on the staging side"
              + " with --signing-key (STAGER_SIGNING_KEY)",
          e);
    } catch (IOException e) {
      throw new SignatureCheckException(
          Reason.MISSING, "cannot read signed inventory " + file + ": " + e.getMessage(), e);
    }
    return verify(Envelope.parse(bytes, file.toString()), file.toString(), expectedPayloadType);
  }

  public Verified verify(Envelope envelope, String source, String expectedPayloadType)
      throws SignatureCheckException {
    if (envelope.signatures().isEmpty()) {
      throw new SignatureCheckException(
          Reason.UNSIGNED,
          "signed inventory " + source + " is unsigned: its envelope has no signature");
    }
    byte[] pae = envelope.pae();
    List<String> trustedIdsClaimed = new ArrayList<>();
    for (Envelope.Sig sig : envelope.signatures()) {
      for (TrustedKey key : keys) {
        if (verifies(key, pae, sig.sig())) {
          if (!expectedPayloadType.equals(envelope.payloadType())) {
            throw new SignatureCheckException(
                Reason.UNKNOWN_PAYLOAD_TYPE,
                "signed inventory "
                    + source
                    + " has payload type '"
                    + envelope.payloadType()
                    + "', expected '"
                    + expectedPayloadType
                    + "': it is signed by a trusted key but is not an inventory statement");
          }
          return new Verified(envelope.payload(), key);
        }
        if (key.keyId().equals(sig.keyId())) {
          trustedIdsClaimed.add(sig.keyId());
        }
      }
    }
    if (!trustedIdsClaimed.isEmpty()) {
      throw new SignatureCheckException(
          Reason.TAMPERED,
          "signed inventory "
              + source
              + " was tampered with: its signature by trusted key "
              + trustedIdsClaimed.get(0)
              + " does not match its payload (the payload or the signature changed after"
              + " signing); re-export or re-sign it on the staging side");
    }
    throw new SignatureCheckException(
        Reason.WRONG_KEY,
        "signed inventory "
            + source
            + " is signed by "
            + envelope.signatures().stream()
                .map(s -> s.keyId().isEmpty() ? "a key with no keyid" : "key " + s.keyId())
                .collect(Collectors.joining(", "))
            + ", which is none of the trusted keys ("
            + keys.stream()
                .map(k -> k.keyId() + " from " + k.source())
                .collect(Collectors.joining(", "))
            + "); give the matching public key, or re-sign with a trusted private key");
  }

  private static boolean verifies(TrustedKey key, byte[] pae, byte[] sig) {
    try {
      Signature signature = Signature.getInstance("Ed25519");
      signature.initVerify(key.publicKey());
      signature.update(pae);
      return signature.verify(sig);
    } catch (GeneralSecurityException e) {
      // A malformed signature (wrong length) is simply one that does not verify.
      return false;
    }
  }
}
