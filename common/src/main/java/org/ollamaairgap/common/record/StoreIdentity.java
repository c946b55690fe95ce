package org.ollamaairgap.common.record;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Which store a record belongs to: the store root's real path and its directory's inode, plus the
 * device it was on when the record was written.
 *
 * <p>The device is not part of the identity: NFS gives every new mount a new device number (in
 * Kubernetes, every new pod mounts the export again), so the same export comes back on another
 * device. Blob devices are compared relative to the root's instead (see {@link RecordPolicy}).
 *
 * @param root the real path of the store root (symbolic links resolved)
 * @param inode the root directory's inode
 * @param device the root directory's device when this identity was read
 */
public record StoreIdentity(String root, long inode, long device) {
  public StoreIdentity {
    Objects.requireNonNull(root, "root");
  }

  /** The identity of the store at {@code root}, as it is now. */
  public static StoreIdentity of(Path root) throws IOException {
    Path real = root.toRealPath();
    FileStamp stamp = FileStamp.read(real);
    return new StoreIdentity(real.toString(), stamp.inode(), stamp.device());
  }

  /** Same store: same real path and same root directory (a re-created store is another one). */
  public boolean sameStore(StoreIdentity other) {
    return root.equals(other.root) && inode == other.inode;
  }

  @Override
  public String toString() {
    return root + " (inode " + inode + ")";
  }
}
