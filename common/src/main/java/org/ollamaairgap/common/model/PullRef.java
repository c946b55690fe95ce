package org.ollamaairgap.common.model;

import java.util.Locale;

/**
 * What {@code /api/pull} does to a name before it parses it (Ollama {@code
 * internal/modelref/modelref.go}, {@code ParseRef} and {@code NormalizePullName}): trim whitespace
 * as Go's {@code strings.TrimSpace} does, then look at the text after the last {@code :} for a
 * source suffix. {@code :local} is dropped; {@code :cloud} and a tag ending in {@code -cloud} name
 * a cloud model; two suffixes are refused.
 */
final class PullRef {
  /** What the suffix said about where the model runs. */
  enum Source {
    UNSPECIFIED,
    LOCAL,
    CLOUD
  }

  /**
   * A name with its source suffix removed.
   *
   * @param base the name without the suffix
   * @param source what the suffix said
   * @param suffix the suffix as written ({@code :local}, {@code :cloud} or {@code -cloud}), or ""
   */
  record Split(String base, Source source, String suffix) {}

  private PullRef() {}

  /**
   * Go's {@code strings.TrimSpace}: Unicode White_Space at both ends. Java's {@code strip()}
   * differs (it keeps U+0085, U+00A0, U+2007 and U+202F and drops U+001C..U+001F), and the point is
   * to read a name exactly as Ollama does.
   */
  static String trimSpace(String text) {
    int start = 0;
    int end = text.length();
    while (start < end && isGoSpace(text.charAt(start))) {
      start++;
    }
    while (end > start && isGoSpace(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(start, end);
  }

  /** Go's {@code unicode.IsSpace}; every such code point is in the BMP, so chars suffice. */
  static boolean isGoSpace(char c) {
    return (c >= '\t' && c <= '\r')
        || c == ' '
        || c == 0x85
        || c == 0xa0
        || c == 0x1680
        || (c >= 0x2000 && c <= 0x200a)
        || c == 0x2028
        || c == 0x2029
        || c == 0x202f
        || c == 0x205f
        || c == 0x3000;
  }

  /**
   * Ollama's {@code parseSourceSuffix}: the text after the last {@code :} (anywhere, even before a
   * {@code /}), trimmed and lower-cased, is {@code local} or {@code cloud}; or, when it holds no
   * {@code /}, ends in {@code -cloud}.
   */
  static Split split(String name) {
    int colon = name.lastIndexOf(':');
    if (colon < 0) {
      return new Split(name, Source.UNSPECIFIED, "");
    }
    String suffixRaw = trimSpace(name.substring(colon + 1));
    String suffix = suffixRaw.toLowerCase(Locale.ROOT);
    if (suffix.equals("cloud")) {
      return new Split(name.substring(0, colon), Source.CLOUD, ":cloud");
    }
    if (suffix.equals("local")) {
      return new Split(name.substring(0, colon), Source.LOCAL, ":local");
    }
    if (suffixRaw.indexOf('/') < 0 && suffix.endsWith("-cloud")) {
      String tag = suffixRaw.substring(0, suffixRaw.length() - "-cloud".length());
      return new Split(name.substring(0, colon + 1) + tag, Source.CLOUD, "-cloud");
    }
    return new Split(name, Source.UNSPECIFIED, "");
  }
}
