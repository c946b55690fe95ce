package org.ollamaairgap.common.verify;

import org.ollamaairgap.common.model.Digest;

/**
 * What checking one blob found.
 *
 * @param digest the digest the manifest names
 * @param expectedSize the size the manifest gives
 * @param status the outcome
 * @param actualSize the file's length, or -1 when there is no file to measure
 * @param actualDigest the SHA-256 found, or null when the content was not hashed
 * @param detail for people: what is wrong and where, empty when OK
 */
public record BlobCheck(
    Digest digest,
    long expectedSize,
    BlobStatus status,
    long actualSize,
    Digest actualDigest,
    String detail) {

  public boolean ok() {
    return status == BlobStatus.OK;
  }
}
