package org.ollamaairgap.app.output;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Kubernetes' termination message: the one-line reason of the exit, shown by {@code kubectl
 * describe pod}. Written only when the file exists and is writable: Kubernetes creates it in a
 * container; elsewhere (a laptop, CI) nothing may be created, least of all under {@code /dev}.
 */
public final class TerminationLog {
  /** Where Kubernetes creates it unless the pod says otherwise. */
  public static final Path DEFAULT = Path.of("/dev/termination-log");

  /** Kubernetes keeps at most 4096 bytes of a termination message. */
  static final int LIMIT = 4096;

  private static final String ELLIPSIS = "...";

  private TerminationLog() {}

  /** Writes the reason, clipped; false when there is no such file or it cannot be written. */
  public static boolean write(Path file, String reason) {
    if (!Files.isRegularFile(file) || !Files.isWritable(file)) {
      return false;
    }
    try {
      Files.write(
          file,
          clip(reason).getBytes(StandardCharsets.UTF_8),
          StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING);
      return true;
    } catch (IOException e) {
      return false; // best effort: the same reason is in the log
    }
  }

  /**
   * The one clipping rule: one line, at most {@link #LIMIT} bytes of UTF-8, cut on a character
   * boundary with {@code ...} at the end when it was cut.
   */
  public static String clip(String reason) {
    String line = reason.replace('\r', ' ').replace('\n', ' ');
    if (line.getBytes(StandardCharsets.UTF_8).length <= LIMIT) {
      return line;
    }
    int budget = LIMIT - ELLIPSIS.length();
    int end = 0;
    int bytes = 0;
    while (end < line.length()) {
      int codePoint = line.codePointAt(end);
      int size = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8).length;
      if (bytes + size > budget) {
        break;
      }
      bytes += size;
      end += Character.charCount(codePoint);
    }
    return line.substring(0, end) + ELLIPSIS;
  }
}
