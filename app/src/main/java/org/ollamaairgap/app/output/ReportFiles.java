package org.ollamaairgap.app.output;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes a report file whole or not at all: a temporary file beside it, then a rename, so a reader
 * never sees half a report. The directory must exist: a program that may run as root never creates
 * directories an operator only mistyped.
 */
public final class ReportFiles {
  private ReportFiles() {}

  /** A report that cannot be written; the message says where, why and what to do. */
  public static final class Unwritable extends IOException {
    private static final long serialVersionUID = 1L;

    Unwritable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** A report's content, written as a stream so that it need not fit in memory. */
  @FunctionalInterface
  public interface Content {
    void writeTo(OutputStream out) throws IOException;
  }

  /**
   * @param target the report file
   * @param bytes its content
   * @param option how the operator set the path, e.g. {@code --report (VERIFIER_REPORT)}
   */
  public static void write(Path target, byte[] bytes, String option) throws Unwritable {
    write(target, out -> out.write(bytes), option);
  }

  /** As {@link #write(Path, byte[], String)}, the content streamed. */
  public static void write(Path target, Content content, String option) throws Unwritable {
    Path file = target.toAbsolutePath().normalize();
    Path dir = file.getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      throw new Unwritable(
          "cannot write the report "
              + file
              + ": the directory "
              + dir
              + " does not exist; create it or point "
              + option
              + " elsewhere",
          null);
    }
    Path temp = null;
    try {
      temp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(temp))) {
        content.writeTo(out);
      }
      try {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new Unwritable(
          "cannot write the report "
              + file
              + " ("
              + Problems.of(e)
              + "); check that "
              + dir
              + " is writable or point "
              + option
              + " elsewhere",
          e);
    } finally {
      if (temp != null) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException e) {
          // the rename consumed it, or the directory went away; nothing more to do
        }
      }
    }
  }
}
