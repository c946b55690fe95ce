package org.ollamaairgap.common.sign;

import java.security.PrivateKey;
import java.security.PublicKey;

/**
 * An Ed25519 private key with its public half, which the JDK does not store in a PKCS#8 file but
 * the envelope's {@code keyid} is derived from.
 *
 * @param privateKey signs
 * @param publicKey the matching public key
 * @param keyId {@link Ed25519Keys#keyId}, written into each signature
 * @param source the file it was read from, for messages
 */
public record SigningKey(PrivateKey privateKey, PublicKey publicKey, String keyId, String source) {
  @Override
  public String toString() {
    // Never the key material: this may end up in a log line.
    return "SigningKey[" + keyId + " from " + source + "]";
  }
}
