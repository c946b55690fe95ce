package org.ollamaairgap.common.sign;

import java.security.PublicKey;

/**
 * An Ed25519 public key that signatures are checked against.
 *
 * @param publicKey the key
 * @param keyId {@link Ed25519Keys#keyId}
 * @param source the file (and block) it was read from, for messages
 */
public record TrustedKey(PublicKey publicKey, String keyId, String source) {}
