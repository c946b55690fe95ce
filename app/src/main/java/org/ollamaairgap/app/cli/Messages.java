package org.ollamaairgap.app.cli;

import java.util.regex.Pattern;

/**
 * Operator text from library text: no SmallRye codes, no Java class or exception names, one line.
 * Used where a library's own message is the best we have (a start-up failure, an odd value).
 */
public final class Messages {
  private static final Pattern CODE = Pattern.compile("\\bSRCFG\\d+: ");
  // java.lang.IllegalArgumentException: / io.smallrye.Foo$Bar / enum class a.b.C$Mode
  private static final Pattern CLASS =
      Pattern.compile("\\b(?:enum class |class )?(?:[a-z_][a-z0-9_]*\\.)+[A-Z][\\w$]*(?::\\s*)?");

  private Messages() {}

  /** The message without codes and class names, on one line; "" for null. */
  public static String plain(String message) {
    if (message == null) {
      return "";
    }
    String text = CODE.matcher(message).replaceAll("");
    text = CLASS.matcher(text).replaceAll("");
    return text.replace('\n', ' ').replace('\t', ' ').replaceAll(" {2,}", " ").trim();
  }
}
