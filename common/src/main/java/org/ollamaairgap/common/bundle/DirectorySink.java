package org.ollamaairgap.common.bundle;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.ollamaairgap.common.digest.HashResult;
import org.ollamaairgap.common.model.Digest;

/**
 * Writes a bundle directory. Every file is written under {@link OciLayout#tempDir()} inside the
 * target, flushed and renamed into place, so nothing is ever written outside the target and no
 * reader sees half a file. {@code index.json} is written last: it is the commit point. A run that
 * was killed resumes: blobs already in place are hashed again and kept when they match.
 */
public final class DirectorySink implements BundleSink {
  private static final Set<java.nio.file.attribute.PosixFilePermission> FILE_MODE =
      java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--");

  private final OciLayout layout;
  private final Set<String> kept = new HashSet<>();

  public DirectorySink(Path target) {
    this.layout = new OciLayout(target);
  }

  public OciLayout layout() {
    return layout;
  }

  @Override
  public void begin(BundleIndex planned, Map<String, byte[]> files) throws IOException {
    Path root = layout.root();
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      Path parent = root.getParent();
      if (parent == null || !Files.isDirectory(parent)) {
        throw new IOException(
            "cannot create the bundle directory " + root + ": its parent does not exist");
      }
      Files.createDirectories(root);
    } else if (!Files.isDirectory(root)) {
      throw new IOException("the bundle target " + root + " exists and is not a directory");
    } else if (!isBundleOrEmpty(root)) {
      throw new IOException(
          "the bundle target "
              + root
              + " is not empty and holds no bundle (no "
              + OciLayout.LAYOUT_FILE
              + "); choose a new or empty directory");
    }
    for (Path dir : List.of(layout.tempDir(), root.resolve("blobs"), layout.blobsDir())) {
      if (Files.isSymbolicLink(dir)) {
        throw new IOException(dir + " is a symbolic link; a bundle must not write through one");
      }
      Files.createDirectories(dir);
    }
    try (DirectoryStream<Path> temps = Files.newDirectoryStream(layout.tempDir())) {
      for (Path t : temps) {
        Files.deleteIfExists(t);
      }
    }
    write(layout.layoutFile(), OciLayout.LAYOUT_BYTES);
  }

  private static boolean isBundleOrEmpty(Path root) throws IOException {
    if (Files.isRegularFile(root.resolve(OciLayout.LAYOUT_FILE))) {
      return true;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
      for (Path e : entries) {
        String name = e.getFileName().toString();
        if (!name.equals(OciLayout.TEMP) && !OciLayout.isMacJunk(name)) {
          return false;
        }
      }
    }
    return true;
  }

  @Override
  public void manifest(Digest digest, byte[] bytes) throws IOException {
    kept.add(digest.hex());
    write(layout.blob(digest), bytes);
  }

  @Override
  public HashResult blob(Digest digest, long size, Path source, BundleListener listener)
      throws IOException {
    kept.add(digest.hex());
    Path target = layout.blob(digest);
    BasicFileAttributes a = attributes(target);
    if (a != null && a.isRegularFile() && a.size() == size) {
      HashResult there;
      try (InputStream in = Files.newInputStream(target, LinkOption.NOFOLLOW_LINKS)) {
        there = HashingCopy.hash(in, HashingCopy.oneMore(size), listener::bytes);
      }
      if (there.digest().equals(digest) && there.size() == size) {
        listener.blobDone(digest, size, true);
        return there;
      }
    }
    Path temp = temp(digest.hex());
    try {
      HashResult copied;
      try (InputStream in = Files.newInputStream(source, LinkOption.NOFOLLOW_LINKS);
          FileChannel channel =
              FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
          OutputStream out = Channels.newOutputStream(channel)) {
        copied = HashingCopy.copy(in, out, HashingCopy.oneMore(size), listener::bytes);
        channel.force(true);
      }
      if (copied.digest().equals(digest) && copied.size() == size) {
        rename(temp, target);
        listener.blobDone(digest, size, false);
      }
      return copied;
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  @Override
  public void finish(BundleIndex complete, Map<String, byte[]> files) throws IOException {
    for (String name : List.of(OciLayout.INVENTORY, OciLayout.ENVELOPE)) {
      byte[] bytes = files.get(name);
      if (bytes != null) {
        write(layout.file(name), bytes);
      } else {
        // A file from an earlier export into this directory would describe other content.
        Files.deleteIfExists(layout.file(name));
      }
    }
    write(layout.index(), complete.toJson());
    removeUnlisted();
    Files.deleteIfExists(layout.tempDir());
  }

  /** Blobs of an earlier export into this directory that the new index no longer reaches. */
  private void removeUnlisted() throws IOException {
    try (DirectoryStream<Path> blobs = Files.newDirectoryStream(layout.blobsDir())) {
      for (Path b : blobs) {
        String name = b.getFileName().toString();
        if (name.length() == 64 && name.matches("[0-9a-f]{64}") && !kept.contains(name)) {
          Files.deleteIfExists(b);
        }
      }
    }
  }

  @Override
  public void close() {}

  private void write(Path target, byte[] bytes) throws IOException {
    Path temp = temp(target.getFileName().toString());
    try {
      try (FileChannel channel =
          FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      rename(temp, target);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private Path temp(String purpose) {
    return layout
        .tempDir()
        .resolve(
            purpose
                + "."
                + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE)
                + ".tmp");
  }

  private static void rename(Path from, Path to) throws IOException {
    try {
      Files.setPosixFilePermissions(from, FILE_MODE);
    } catch (IOException | UnsupportedOperationException e) {
      // A FAT or exFAT disk (how bundles often travel) has no modes; readable is all that counts.
    }
    Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    try (FileChannel dir = FileChannel.open(to.getParent(), StandardOpenOption.READ)) {
      dir.force(true);
    } catch (IOException e) {
      // Some filesystems (and FAT/exFAT disks) refuse fsync on a directory; the rename happened.
    }
  }

  private static BasicFileAttributes attributes(Path p) {
    try {
      return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      return null;
    }
  }
}
