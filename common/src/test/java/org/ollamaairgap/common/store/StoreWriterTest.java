package org.ollamaairgap.common.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ollamaairgap.common.digest.Sha256;
import org.ollamaairgap.common.model.Digest;
import org.ollamaairgap.common.model.ModelName;

class StoreWriterTest {
  @TempDir Path root;

  static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  @Test
  void commitBlob_privateStagedFile_landsUnderItsDigestReadableByAll() throws Exception {
    StoreWriter writer = new StoreWriter(new StoreLayout(root));
    writer.prepare();
    byte[] bytes = "weights".getBytes(StandardCharsets.UTF_8);
    Digest digest = Sha256.of(bytes);
    Path staged = writer.tempFile("blob");
    Files.write(staged, bytes);
    Files.setPosixFilePermissions(staged, PosixFilePermissions.fromString("rw-------"));

    writer.commitBlob(staged, digest);

    Path blob = root.resolve("blobs").resolve(digest.fileName());
    assertThat(blob).hasBinaryContent(bytes);
    assertThat(mode(blob)).isEqualTo("rw-r--r--");
    assertThat(staged).doesNotExist();
    assertThat(writer.hasBlob(digest, bytes.length)).isTrue();
    assertThat(writer.hasBlob(digest, bytes.length + 1)).isFalse();
  }

  @Test
  void commitBlob_wrongFileUnderTheName_isReplaced() throws Exception {
    StoreWriter writer = new StoreWriter(new StoreLayout(root));
    writer.prepare();
    byte[] bytes = "right".getBytes(StandardCharsets.UTF_8);
    Digest digest = Sha256.of(bytes);
    Files.writeString(root.resolve("blobs").resolve(digest.fileName()), "wrong and longer");
    Path staged = writer.tempFile("blob");
    Files.write(staged, bytes);

    writer.commitBlob(staged, digest);

    assertThat(root.resolve("blobs").resolve(digest.fileName())).hasBinaryContent(bytes);
  }

  @Test
  void writeManifest_writesExactBytesWithReadableDirectoriesAndNoTempLeft() throws Exception {
    StoreWriter writer = new StoreWriter(new StoreLayout(root));
    writer.prepare();
    byte[] bytes = "{\"schemaVersion\":2}".getBytes(StandardCharsets.UTF_8);

    Path written = writer.writeManifest(ModelName.parse("localhost:5000/ns/m:t"), bytes);

    assertThat(written).isEqualTo(root.resolve("manifests/localhost:5000/ns/m/t"));
    assertThat(written).hasBinaryContent(bytes);
    assertThat(mode(written)).isEqualTo("rw-r--r--");
    assertThat(mode(root.resolve("manifests/localhost:5000/ns"))).isEqualTo("rwxr-xr-x");
    try (Stream<Path> staging = Files.list(new StoreLayout(root).stagingDir())) {
      assertThat(staging).isEmpty();
    }
  }

  @Test
  void prepare_afterAKill_removesTempFilesButKeepsResumeState() throws Exception {
    StoreLayout layout = new StoreLayout(root);
    StoreWriter writer = new StoreWriter(layout);
    writer.prepare();
    Digest digest = Sha256.of("data".getBytes(StandardCharsets.UTF_8));
    Files.writeString(writer.tempFile("manifest"), "half");
    Files.writeString(layout.stagingTemp("manifest", "1234"), "half");
    Files.writeString(layout.partialBlob(digest), "data");
    Files.writeString(layout.partsState(digest), "{}");

    writer.prepare();

    try (Stream<Path> files = Files.list(layout.stagingDir())) {
      assertThat(files)
          .containsExactlyInAnyOrder(layout.partialBlob(digest), layout.partsState(digest));
    }
  }

  /** Present means a regular file of the right size: what a download would otherwise replace. */
  @Test
  void hasBlob_onlyARegularFileOfTheRightSizeCounts() throws Exception {
    StoreLayout layout = new StoreLayout(root);
    StoreWriter writer = new StoreWriter(layout);
    writer.prepare();
    byte[] bytes = "weights".getBytes(StandardCharsets.UTF_8);
    Digest digest = Sha256.of(bytes);
    Path blob = layout.blob(digest);

    assertThat(writer.hasBlob(digest, bytes.length)).as("missing").isFalse();
    Files.createDirectory(blob);
    assertThat(writer.hasBlob(digest, 0)).as("a directory").isFalse();
    Files.delete(blob);
    Path elsewhere = Files.write(root.resolve("elsewhere"), bytes);
    Files.createSymbolicLink(blob, elsewhere);
    assertThat(writer.hasBlob(digest, bytes.length)).as("a symbolic link").isFalse();
    Files.delete(blob);
    Files.write(blob, "short".getBytes(StandardCharsets.UTF_8));
    assertThat(writer.hasBlob(digest, bytes.length)).as("another size").isFalse();
    Files.write(blob, bytes);
    assertThat(writer.hasBlob(digest, bytes.length)).as("right size").isTrue();
  }

  @Test
  void probeWrite_leavesOnlyOurEmptyWorkingDirectory() throws Exception {
    StoreLayout layout = new StoreLayout(root.resolve("store"));

    new StoreWriter(layout).probeWrite();

    assertThat(layout.root()).isDirectoryContaining(p -> p.equals(layout.workDir()));
    assertThat(layout.workDir()).isEmptyDirectory();
    assertThat(mode(layout.workDir())).isEqualTo("rwxr-xr-x");
  }

  @Test
  void probeWrite_aFileWhereTheWorkingDirectoryGoes_fails() throws Exception {
    StoreLayout layout = new StoreLayout(root);
    Files.writeString(layout.workDir(), "not a directory");

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new StoreWriter(layout).probeWrite())
        .isInstanceOf(java.io.IOException.class);
  }

  @Test
  void confine_linksThatStayInsideAndALinkedRoot_areFine() throws Exception {
    Path real = Files.createDirectories(root.resolve("real"));
    Files.createDirectories(real.resolve("elsewhere-blobs"));
    Files.createSymbolicLink(real.resolve("blobs"), real.resolve("elsewhere-blobs"));
    Path linkedRoot = Files.createSymbolicLink(root.resolve("store-link"), real);
    StoreWriter writer = new StoreWriter(new StoreLayout(linkedRoot));

    writer.confineWorkingDirs();
    writer.prepare();

    assertThat(real.resolve("elsewhere-blobs")).isDirectory();
  }

  @Test
  void confine_aLevelLinkedOutOfTheStore_isRefusedNamingLinkAndTarget() throws Exception {
    Path store = Files.createDirectories(root.resolve("store"));
    Path outside = Files.createDirectories(root.resolve("outside"));
    Files.writeString(outside.resolve("theirs.tmp"), "keep");
    Files.createDirectories(store.resolve(".ollama-airgap"));
    Path staging = Files.createSymbolicLink(store.resolve(".ollama-airgap/staging"), outside);
    StoreWriter writer = new StoreWriter(new StoreLayout(store));

    assertThatThrownBy(writer::prepare)
        .isInstanceOf(OutsideStoreException.class)
        .hasMessageStartingWith(
            staging + " is a symbolic link to " + outside + ", outside the store " + store + ";");
    assertThat(outside.resolve("theirs.tmp")).hasContent("keep");
    assertThatThrownBy(writer::probeWrite).isInstanceOf(OutsideStoreException.class);
  }

  @Test
  void confine_aDanglingLinkOutOfTheStore_isRefusedToo() throws Exception {
    Path store = Files.createDirectories(root.resolve("store"));
    Files.createDirectories(store.resolve("manifests"));
    Path host = store.resolve("manifests/registry.ollama.ai");
    Files.createSymbolicLink(host, root.resolve("not-yet"));
    StoreWriter writer = new StoreWriter(new StoreLayout(store));

    assertThatThrownBy(
            () -> writer.writeManifest(ModelName.parse("llama3:8b"), new byte[] {'{', '}'}))
        .isInstanceOf(OutsideStoreException.class)
        .hasMessageStartingWith(host + " is a symbolic link to " + root.resolve("not-yet"));
    assertThat(root.resolve("not-yet")).doesNotExist();
  }
}
