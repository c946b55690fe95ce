package org.ollamaairgap.common.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stamps of real files: what the kernel reports, through Java's unix attribute view. */
class FileStampTest {
  @TempDir Path dir;

  @Test
  void readsWhatTheFilesystemReports() throws IOException {
    Path file = Files.write(dir.resolve("blob"), new byte[1234]);
    Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2026-01-02T03:04:05.123456789Z")));

    FileStamp stamp = FileStamp.read(file);

    BasicFileAttributes basic = Files.readAttributes(file, BasicFileAttributes.class);
    assertThat(stamp.size()).isEqualTo(1234);
    assertThat(stamp.mtimeNanos()).isEqualTo(basic.lastModifiedTime().to(TimeUnit.NANOSECONDS));
    assertThat(basic.fileKey().toString()).contains("ino=" + stamp.inode());
    assertThat(stamp.ctimeNanos()).isPositive();
    assertThat(FileStamp.read(file)).isEqualTo(stamp);
  }

  @Test
  void aFileRenamedOverTheBlobHasAnotherInode() throws IOException {
    Path file = Files.write(dir.resolve("blob"), new byte[10]);
    FileStamp before = FileStamp.read(file);
    Path other = Files.write(dir.resolve("other"), new byte[10]);

    Files.move(other, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

    FileStamp after = FileStamp.read(file);
    assertThat(after.inode()).isNotEqualTo(before.inode());
    assertThat(after.device()).isEqualTo(before.device());
  }

  @Test
  void followsSymbolicLinksToTheirTarget() throws IOException {
    Path target = Files.write(dir.resolve("target"), new byte[10]);
    Path link = Files.createSymbolicLink(dir.resolve("link"), target);

    assertThat(FileStamp.read(link)).isEqualTo(FileStamp.read(target));
  }

  @Test
  void missingFileHasNoStamp() {
    assertThatThrownBy(() -> FileStamp.read(dir.resolve("none")))
        .isInstanceOf(NoSuchFileException.class);
  }

  @Test
  void storeIdentityIsTheRealPathAndRootInode() throws IOException {
    Path store = Files.createDirectories(dir.resolve("models"));
    Path link = Files.createSymbolicLink(dir.resolve("link"), store);

    StoreIdentity identity = StoreIdentity.of(link);

    assertThat(identity.root()).isEqualTo(store.toRealPath().toString());
    assertThat(identity.inode()).isEqualTo(FileStamp.read(store).inode());
    assertThat(identity.sameStore(StoreIdentity.of(store))).isTrue();
  }
}
