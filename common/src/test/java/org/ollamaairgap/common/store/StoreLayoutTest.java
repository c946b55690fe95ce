package org.ollamaairgap.common.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ollamaairgap.common.model.Digest;
import org.ollamaairgap.common.model.ModelName;
import org.ollamaairgap.common.model.StoreException;

class StoreLayoutTest {
  private static final String HEX =
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

  @TempDir Path tmp;

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "llama3.2,                  registry.ollama.ai/library/llama3.2/latest",
    "llama3.2:3b,               registry.ollama.ai/library/llama3.2/3b",
    "user/m:t,                  registry.ollama.ai/user/m/t",
    "localhost:5000/ns/m:t,     localhost:5000/ns/m/t",
    "https://example.com/ns/m,  example.com/ns/m/latest",
    "Llama3.2:3B,               registry.ollama.ai/library/Llama3.2/3B",
    "m..x:t.,                   registry.ollama.ai/library/m..x/t.",
  })
  void manifestPathIsHostNamespaceModelTag(String name, String relative) throws StoreException {
    StoreLayout layout = new StoreLayout(tmp.resolve("models"));

    assertThat(layout.manifest(ModelName.parse(name)))
        .isEqualTo(tmp.resolve("models").resolve("manifests").resolve(relative));
  }

  @Test
  void blobPathUsesTheDashForm() throws StoreException {
    StoreLayout layout = new StoreLayout(tmp);

    assertThat(layout.blob(Digest.parse("sha256:" + HEX)))
        .isEqualTo(tmp.resolve("blobs").resolve("sha256-" + HEX))
        .isEqualTo(layout.blob(Digest.parse("sha256-" + HEX)));
  }

  @Test
  void fixedDirectories() {
    StoreLayout layout = new StoreLayout(tmp);

    assertThat(layout.root()).isEqualTo(tmp);
    assertThat(layout.manifestsDir()).isEqualTo(tmp.resolve("manifests"));
    assertThat(layout.blobsDir()).isEqualTo(tmp.resolve("blobs"));
    assertThat(layout.workDir()).isEqualTo(tmp.resolve(".ollama-airgap"));
    assertThat(layout.stagingDir()).isEqualTo(tmp.resolve(".ollama-airgap").resolve("staging"));
    assertThat(layout).hasToString(tmp.toString());
  }

  @Test
  void fromOllamaModels_trimsBlanksAndQuotesAsOllamaDoes() {
    assertThat(StoreLayout.fromOllamaModels(" \"" + tmp + "\" ").root()).isEqualTo(tmp);
    assertThat(StoreLayout.fromOllamaModels("'" + tmp + "'").root()).isEqualTo(tmp);
    assertThat(StoreLayout.fromOllamaModels(tmp + "\n").root()).isEqualTo(tmp);
    assertThat(StoreLayout.fromOllamaModels("~/models").root())
        .isEqualTo(Path.of("~/models").toAbsolutePath());
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> StoreLayout.fromOllamaModels(" \"\" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("OLLAMA_MODELS is empty");
  }

  /** The names on disk are a contract with earlier runs (resume, lock): they must not drift. */
  @Test
  void ourFiles() throws StoreException {
    StoreLayout layout = new StoreLayout(tmp);
    Digest digest = Digest.parse("sha256:" + HEX);
    Path work = tmp.resolve(".ollama-airgap");

    assertThat(layout.partialBlob(digest))
        .isEqualTo(work.resolve("staging/sha256-" + HEX + ".partial"));
    assertThat(layout.partsState(digest))
        .isEqualTo(work.resolve("staging/sha256-" + HEX + ".parts.json"));
    assertThat(layout.stagingTemp("manifest", "1a2b"))
        .isEqualTo(work.resolve("staging/manifest.1a2b.tmp"));
    assertThat(layout.lockFile()).isEqualTo(work.resolve("lock"));
    assertThat(layout.lockTakeover()).isEqualTo(work.resolve("lock.takeover"));
    assertThat(layout.lockHeartbeatTemp("t")).isEqualTo(work.resolve("lock.t.tmp"));
    assertThat(layout.lockCandidate("c")).isEqualTo(work.resolve("lock.c.new"));
    assertThat(layout.writeProbe("p")).isEqualTo(work.resolve("write-probe-p.tmp"));
    assertThat(layout.inventory()).isEqualTo(work.resolve("inventory.json"));
    assertThat(layout.inventorySignature()).isEqualTo(work.resolve("inventory.dsse.json"));
    assertThat(layout.tombstones()).isEqualTo(work.resolve("tombstones.json"));
  }

  /** The verifier runs on a read-only mount: computing a path must never touch the disk. */
  @Test
  void createsNothing() throws StoreException {
    Path root = tmp.resolve("does").resolve("not").resolve("exist");
    StoreLayout layout = new StoreLayout(root);

    layout.manifest(ModelName.parse("localhost:5000/ns/m:t"));
    layout.blob(Digest.parse("sha256:" + HEX));
    layout.manifestsDir();
    layout.blobsDir();
    layout.workDir();
    layout.stagingDir();
    layout.partialBlob(Digest.parse("sha256:" + HEX));
    layout.lockFile();
    layout.inventory();
    layout.tombstones();

    assertThat(tmp.resolve("does")).doesNotExist();
    assertThat(tmp).isEmptyDirectory();
  }

  @Test
  void rootIsMadeAbsoluteAndNormal() throws StoreException {
    StoreLayout relative = new StoreLayout(Path.of("some", "models"));
    StoreLayout dotted = new StoreLayout(tmp.resolve("a").resolve("..").resolve("models"));

    assertThat(relative.root()).isAbsolute().isEqualTo(Path.of("some", "models").toAbsolutePath());
    assertThat(dotted.root()).isEqualTo(tmp.resolve("models"));
    assertThat(dotted.manifest(ModelName.parse("m")))
        .isEqualTo(tmp.resolve("models/manifests/registry.ollama.ai/library/m/latest"));
    assertThat(new StoreLayout(Path.of("/")).blob(Digest.parse("sha256:" + HEX)))
        .isEqualTo(Path.of("/blobs/sha256-" + HEX));
  }

  /** Our own files sit beside, not inside, what Ollama lists and prunes. */
  @Test
  void workDirIsOutsideBlobsAndManifests() {
    StoreLayout layout = new StoreLayout(tmp);

    assertThat(layout.workDir()).startsWithRaw(layout.root());
    assertThat(layout.stagingDir()).startsWithRaw(layout.workDir());
    assertThat(layout.stagingDir().startsWith(layout.blobsDir())).isFalse();
    assertThat(layout.stagingDir().startsWith(layout.manifestsDir())).isFalse();
  }
}
