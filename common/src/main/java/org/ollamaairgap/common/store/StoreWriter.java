package org.ollamaairgap.common.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.ollamaairgap.common.model.Descriptor;
import org.ollamaairgap.common.model.Digest;
import org.ollamaairgap.common.model.ModelName;

/**
 * Puts files into a store the way a reader can never see half of: everything is written under
 * {@link StoreLayout#stagingDir()} (same filesystem, outside {@code blobs/} and {@code
 * manifests/}), flushed to disk, then renamed into place atomically. Blobs are committed only by
 * the caller that verified them; the manifest goes last.
 *
 * <p>Files get mode 0644 and directories 0755 whatever the umask, as Ollama writes them, so the
 * production Ollama user can read what a staging user wrote. All failures are plain {@link
 * IOException}s naming the path; callers classify them (full disk, read-only).
 */
public final class StoreWriter {
  private static final Set<PosixFilePermission> FILE_MODE =
      PosixFilePermissions.fromString("rw-r--r--");
  private static final Set<PosixFilePermission> DIR_MODE =
      PosixFilePermissions.fromString("rwxr-xr-x");

  private final StoreLayout layout;

  public StoreWriter(StoreLayout layout) {
    this.layout = layout;
  }

  public StoreLayout layout() {
    return layout;
  }

  /**
   * Creates {@code blobs/}, {@code manifests/} and the staging directory if missing, and removes
   * temp files a killed run left in the staging directory (resume state is kept). Callers hold the
   * store's lock, so no other writer's temp files can be there.
   */
  public void prepare() throws IOException {
    confineWorkingDirs();
    mkdirs(layout.blobsDir());
    mkdirs(layout.manifestsDir());
    mkdirs(layout.stagingDir());
    try (DirectoryStream<Path> temps =
        Files.newDirectoryStream(layout.stagingDir(), "*" + StoreLayout.TEMP_SUFFIX)) {
      for (Path t : temps) {
        Files.deleteIfExists(t);
      }
    }
  }

  /**
   * Proves the store writable by writing: creates our working directory, writes one byte to a fresh
   * probe file there and deletes it. {@code FileStore.isReadOnly()} says false on a read-only bind
   * mount and root ignores permission bits, so only a real write tells. Nothing is created under
   * {@code blobs/} or {@code manifests/}.
   */
  public void probeWrite() throws IOException {
    confineWorkingDirs();
    mkdirs(layout.workDir());
    Path probe = layout.writeProbe(token());
    try {
      Files.write(probe, new byte[] {1}, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    } finally {
      try {
        Files.deleteIfExists(probe);
      } catch (IOException e) {
        // A probe we cannot delete is harmless: it lives in our own directory, and the write
        // failure, if any, is what the caller must hear about.
      }
    }
  }

  /** Whether this blob is in the store: {@link #hasBlob(Digest, long)} for its descriptor. */
  public boolean hasBlob(Descriptor blob) {
    return hasBlob(blob.digest(), blob.size());
  }

  /**
   * The one "blob present" rule of the stager: {@code blobs/sha256-<hex>} is a regular file (not a
   * link) of the expected size. A file of another size is not present: it is downloaded again and
   * renamed over. Its content is not read: the run re-hashes every blob after staging.
   */
  public boolean hasBlob(Digest digest, long size) {
    try {
      BasicFileAttributes a =
          Files.readAttributes(
              layout.blob(digest), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      return a.isRegularFile() && a.size() == size;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Moves a verified staging file to {@code blobs/sha256-<hex>}: flushed, 0644, one atomic rename
   * that replaces any wrong file of that name, then the directory entry flushed.
   */
  public void commitBlob(Path staged, Digest digest) throws IOException {
    confine(layout.blobsDir());
    try (FileChannel channel = FileChannel.open(staged, StandardOpenOption.WRITE)) {
      channel.force(true);
    }
    Files.setPosixFilePermissions(staged, FILE_MODE);
    Path target = layout.blob(digest);
    moveAtomically(staged, target);
    fsyncDirectory(target.getParent());
  }

  /**
   * Writes the manifest bytes unchanged to {@code manifests/<host>/<namespace>/<model>/<tag>}: a
   * flushed temp file in the staging directory, renamed over the old manifest, if any.
   */
  public Path writeManifest(ModelName name, byte[] bytes) throws IOException {
    Path target = layout.manifest(name);
    confine(target.getParent());
    mkdirs(target.getParent());
    Path temp = tempFile("manifest");
    try {
      writeDurably(temp, bytes);
      moveAtomically(temp, target);
    } finally {
      Files.deleteIfExists(temp);
    }
    fsyncDirectory(target.getParent());
    return target;
  }

  /**
   * Refuses to go on when a directory every run writes into ({@code blobs/}, {@code manifests/},
   * {@code .ollama-airgap/} and its staging directory) leads out of the store through a symbolic
   * link: the clean-up of {@link #prepare()} would otherwise delete, and the writes replace, files
   * of whatever the link points at.
   */
  public void confineWorkingDirs() throws IOException {
    confine(layout.blobsDir());
    confine(layout.manifestsDir());
    confine(layout.stagingDir());
  }

  /**
   * Checks, before anything is written into {@code dir} (a directory inside the store, existing or
   * not), that none of its existing levels below the root is a symbolic link leading out of the
   * store. Links that stay inside, and a root that is itself a link, are fine. Levels that do not
   * exist yet are created later as real directories.
   *
   * @throws OutsideStoreException naming the first link that leads out and its target
   */
  public void confine(Path dir) throws IOException {
    Path root = layout.root();
    Path normalized = dir.toAbsolutePath().normalize();
    if (!normalized.startsWith(root)) {
      throw new IllegalArgumentException(dir + " is not inside the store " + root);
    }
    if (!Files.exists(root)) {
      return;
    }
    Path realRoot = root.toRealPath();
    Path level = root;
    for (Path name : root.relativize(normalized)) {
      level = level.resolve(name);
      if (!Files.isSymbolicLink(level)) {
        if (!Files.exists(level, LinkOption.NOFOLLOW_LINKS)) {
          return;
        }
        continue;
      }
      Path target = linkTarget(level);
      if (!target.startsWith(realRoot)) {
        throw new OutsideStoreException(level, target, root);
      }
    }
  }

  /** Where a link finally leads; for a dangling one, where it points. */
  private static Path linkTarget(Path link) throws IOException {
    try {
      return link.toRealPath();
    } catch (java.nio.file.NoSuchFileException e) {
      return link.getParent().toRealPath().resolve(Files.readSymbolicLink(link)).normalize();
    }
  }

  /** Writes {@code bytes} to {@code file} (replacing it), flushed, mode 0644. */
  public static void writeDurably(Path file, byte[] bytes) throws IOException {
    try (FileChannel channel =
        FileChannel.open(
            file,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(true);
    }
    Files.setPosixFilePermissions(file, FILE_MODE);
  }

  /** Replaces {@code target} by {@code file} atomically: a temp file beside it, then a rename. */
  public void replaceDurably(Path target, byte[] bytes) throws IOException {
    Path temp = tempFile(target.getFileName().toString());
    try {
      writeDurably(temp, bytes);
      moveAtomically(temp, target);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** A fresh, unused name in the staging directory; nothing is created. */
  public Path tempFile(String purpose) {
    return layout.stagingTemp(purpose, token());
  }

  private static String token() {
    return Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
  }

  /** Creates missing directories level by level with mode 0755 regardless of the umask. */
  public static void mkdirs(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return;
    }
    Path parent = dir.getParent();
    if (parent != null) {
      mkdirs(parent);
    }
    try {
      Files.createDirectory(dir);
      Files.setPosixFilePermissions(dir, DIR_MODE);
    } catch (FileAlreadyExistsException e) {
      if (!Files.isDirectory(dir)) {
        throw new FileSystemException(
            dir.toString(),
            null,
            "a file is in the way where the directory "
                + dir
                + " must be; move that file away and run again");
      }
    }
  }

  private static void moveAtomically(Path from, Path to) throws IOException {
    if (Files.isDirectory(to, LinkOption.NOFOLLOW_LINKS)) {
      // The rename would fail naming our staging file; the directory is what must go.
      throw new FileSystemException(
          to.toString(),
          null,
          "a directory is in the way where the file "
              + to
              + " must go; move that directory away and run again");
    }
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException(
          "cannot rename "
              + from
              + " to "
              + to
              + " atomically ("
              + e.getMessage()
              + "); the staging directory must be on the same filesystem as the store",
          e);
    }
  }

  /** Makes a rename durable: on Linux a directory opened read-only can be fsync'ed. */
  private static void fsyncDirectory(Path dir) throws IOException {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      // Some filesystems refuse fsync on directories; the rename itself already happened.
      if (!(e.getMessage() != null && e.getMessage().contains("Invalid argument"))) {
        throw e;
      }
    }
  }
}
