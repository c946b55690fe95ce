/**
 * Signed inventories: the DSSE envelope and its pre-authentication encoding ({@link
 * org.ollamaairgap.common.sign.Pae}), the in-toto Statement v1 it carries ({@link
 * org.ollamaairgap.common.sign.Statement}) and Ed25519 keys read from the PEM files {@code openssl}
 * writes ({@link org.ollamaairgap.common.sign.Ed25519Keys}). Only the JDK's own EdDSA is used.
 *
 * @see <a href="https://github.com/secure-systems-lab/dsse/blob/master/protocol.md">DSSE
 *     protocol</a>
 * @see <a href="https://github.com/in-toto/attestation/blob/main/spec/v1/statement.md">in-toto
 *     Statement v1</a>
 */
package org.ollamaairgap.common.sign;
