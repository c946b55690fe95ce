package org.ollamaairgap.common.model;

import java.util.HexFormat;
import java.util.Objects;

/**
 * A SHA-256 content digest, the only algorithm Ollama uses. The canonical form is {@code sha256:<64
 * lowercase hex>} (manifests, registry URLs); blob files are named {@code sha256-<hex>}. Both forms
 * parse.
 *
 * <p>Upper-case hex is rejected: Ollama writes lower case and compares digests as strings, so a
 * manifest with upper-case hex would fail Ollama's own verification.
 */
public record Digest(String hex) implements Comparable<Digest> {
  private static final String PREFIX = "sha256";
  private static final int HEX_LENGTH = 64;

  public Digest {
    Objects.requireNonNull(hex, "hex");
    if (!isLowerHex(hex)) {
      throw new IllegalArgumentException("not 64 lowercase hex characters: " + hex);
    }
  }

  /** Parses {@code sha256:<hex>} or {@code sha256-<hex>}. */
  public static Digest parse(String text) throws StoreException {
    if (text == null || text.isEmpty()) {
      throw new StoreException(StoreException.Reason.INVALID_DIGEST, "missing digest");
    }
    if (text.length() != PREFIX.length() + 1 + HEX_LENGTH
        || !text.startsWith(PREFIX)
        || (text.charAt(PREFIX.length()) != ':' && text.charAt(PREFIX.length()) != '-')) {
      throw new StoreException(
          StoreException.Reason.INVALID_DIGEST,
          "invalid digest '" + clip(text) + "': expected sha256:<64 lowercase hex>");
    }
    String hex = text.substring(PREFIX.length() + 1);
    if (!isLowerHex(hex)) {
      throw new StoreException(
          StoreException.Reason.INVALID_DIGEST,
          "invalid digest '" + clip(text) + "': expected sha256:<64 lowercase hex>");
    }
    return new Digest(hex);
  }

  /** The digest of these 32 hash bytes. */
  public static Digest of(byte[] sha256) {
    if (sha256.length != HEX_LENGTH / 2) {
      throw new IllegalArgumentException("a SHA-256 hash has 32 bytes, got " + sha256.length);
    }
    return new Digest(HexFormat.of().formatHex(sha256));
  }

  /** The blob's file name in {@code blobs/}: {@code sha256-<hex>}. */
  public String fileName() {
    return PREFIX + "-" + hex;
  }

  /** The first 12 hex characters, as Ollama shows them ("pulling 6a0746a1ec1a"). */
  public String shortHex() {
    return hex.substring(0, 12);
  }

  @Override
  public String toString() {
    return PREFIX + ":" + hex;
  }

  @Override
  public int compareTo(Digest other) {
    return hex.compareTo(other.hex);
  }

  private static boolean isLowerHex(String s) {
    if (s.length() != HEX_LENGTH) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Quotes untrusted text for a message: at most 100 characters, and everything outside printable
   * ASCII written as a Java-style backslash-u escape (and a backslash doubled), so hostile input
   * can neither flood nor forge log lines and a look-alike such as the Cyrillic a (U+0430) shows as
   * what it is.
   */
  static String clip(String s) {
    String head = s.length() <= 100 ? s : s.substring(0, 100);
    StringBuilder out = new StringBuilder(head.length() + 16);
    for (int i = 0; i < head.length(); i++) {
      char c = head.charAt(i);
      if (c == '\\') {
        out.append("\\\\");
      } else if (c >= 0x20 && c < 0x7f) {
        out.append(c);
      } else {
        out.append(String.format(java.util.Locale.ROOT, "\\u%04X", (int) c));
      }
    }
    if (head.length() < s.length()) {
      out.append("...(").append(s.length()).append(" chars)");
    }
    return out.toString();
  }
}
