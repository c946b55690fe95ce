package org.ollamaairgap.common.digest;

import org.ollamaairgap.common.model.Digest;

/**
 * What checking one blob against its chunk digests found. For {@link Status#CHUNK_MISMATCH} it
 * names the first bad chunk found: its index, its byte offset in the blob and both digests.
 *
 * @param actualSize the file's size as found ({@code -1} when it could not be read)
 * @param chunk the bad chunk's index, {@code -1} unless {@link Status#CHUNK_MISMATCH}
 * @param offset the bad chunk's first byte, {@code -1} unless {@link Status#CHUNK_MISMATCH}
 * @param expected the chunk digest the inventory gives, or null
 * @param actual the chunk digest the file has, or null
 * @param detail a sentence for people: what, where, expected and actual; empty when OK
 */
public record ChunkVerdict(
    Digest blob,
    Status status,
    long actualSize,
    int chunk,
    long offset,
    Digest expected,
    Digest actual,
    String detail) {

  /** How a chunked check ended. */
  public enum Status {
    OK,
    SIZE_MISMATCH,
    CHUNK_MISMATCH,
    UNREADABLE
  }

  public boolean ok() {
    return status == Status.OK;
  }

  static ChunkVerdict ok(Digest blob, long size) {
    return new ChunkVerdict(blob, Status.OK, size, -1, -1, null, null, "");
  }

  static ChunkVerdict problem(Digest blob, Status status, long actualSize, String detail) {
    return new ChunkVerdict(blob, status, actualSize, -1, -1, null, null, detail);
  }
}
