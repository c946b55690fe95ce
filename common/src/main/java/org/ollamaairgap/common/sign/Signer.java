package org.ollamaairgap.common.sign;

import java.security.GeneralSecurityException;
import java.security.Signature;
import java.util.List;

/** Signs a payload into a DSSE envelope with one Ed25519 key, over the PAE bytes only. */
public final class Signer {
  private final SigningKey key;

  public Signer(SigningKey key) {
    this.key = key;
  }

  public SigningKey key() {
    return key;
  }

  public Envelope sign(String payloadType, byte[] payload) {
    try {
      Signature signature = Signature.getInstance("Ed25519");
      signature.initSign(key.privateKey());
      signature.update(Pae.encode(payloadType, payload));
      return new Envelope(
          payloadType, payload, List.of(new Envelope.Sig(key.keyId(), signature.sign())));
    } catch (GeneralSecurityException e) {
      // The key was read and checked by Ed25519Keys: a failure here is a broken runtime.
      throw new IllegalStateException("Ed25519 signing failed with " + key + ": " + e, e);
    }
  }
}
