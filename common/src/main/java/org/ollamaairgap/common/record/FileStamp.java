package org.ollamaairgap.common.record;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The metadata of a file that any write through the filesystem changes: device and inode (a file
 * renamed over it has another inode), size, modification time and status-change time (which no user
 * can set back, unlike the modification time), both in nanoseconds since the epoch.
 *
 * @param device {@code st_dev}
 * @param inode {@code st_ino}
 * @param size {@code st_size}
 * @param mtimeNanos {@code st_mtim}, nanoseconds since the epoch
 * @param ctimeNanos {@code st_ctim}, nanoseconds since the epoch
 */
public record FileStamp(long device, long inode, long size, long mtimeNanos, long ctimeNanos) {
  private static final String ATTRIBUTES = "unix:dev,ino,size,lastModifiedTime,ctime";

  /**
   * Reads the stamp of {@code file}, following symbolic links (a blob linked inside the store is
   * read through its link, so its target is what must stay unchanged).
   *
   * @throws IOException when the file cannot be examined, or the platform does not expose the
   *     {@code unix} attribute view: without a stamp a blob is always hashed
   */
  public static FileStamp read(Path file) throws IOException {
    Map<String, Object> attributes;
    try {
      attributes = Files.readAttributes(file, ATTRIBUTES);
    } catch (UnsupportedOperationException | IllegalArgumentException e) {
      throw new IOException(
          "this platform gives no device, inode and ctime for " + file + " (" + e + ")", e);
    }
    return new FileStamp(
        ((Number) attributes.get("dev")).longValue(),
        ((Number) attributes.get("ino")).longValue(),
        ((Number) attributes.get("size")).longValue(),
        nanos((FileTime) attributes.get("lastModifiedTime")),
        nanos((FileTime) attributes.get("ctime")));
  }

  private static long nanos(FileTime time) {
    return time.to(TimeUnit.NANOSECONDS);
  }
}
