import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.ollamaairgap.common.digest.ChunkedHash;
import org.ollamaairgap.common.digest.Sha256;
import org.ollamaairgap.common.inventory.InventoryFile;
import org.ollamaairgap.common.inventory.StoreInventory;
import org.ollamaairgap.common.model.Descriptor;
import org.ollamaairgap.common.model.Digest;
import org.ollamaairgap.common.model.Manifest;
import org.ollamaairgap.common.model.ModelName;
import org.ollamaairgap.common.store.StoreLayout;
import org.ollamaairgap.common.store.StoreWriter;

/**
 * Writes a bench store's inventory file with the library the stager uses (one chunked read per
 * blob) and prints its digest, for the verifier's {@code --inventory-digest}. Run by
 * bench/single-blob-bench.sh with {@code java -cp common/target/classes:JACKSON
 * bench/InventoryWrite.java STORE}.
 */
public final class InventoryWrite {
  public static void main(String[] args) throws Exception {
    StoreLayout layout = new StoreLayout(Path.of(args[0]));
    Map<ModelName, Manifest> manifests = new LinkedHashMap<>();
    Map<Digest, ChunkedHash> hashes = new LinkedHashMap<>();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(layout.manifestsDir(), 4)) {
      files = walk.filter(Files::isRegularFile).toList();
    }
    for (Path file : files) {
      ModelName name = ModelName.fromManifestPath(layout.manifestsDir().relativize(file));
      Manifest manifest = Manifest.parse(Files.readAllBytes(file));
      manifests.put(name, manifest);
      for (Descriptor d : manifest.blobs().values()) {
        hashes.put(
            d.digest(),
            Sha256.fileChunked(layout.blob(d.digest()), ChunkedHash.DEFAULT_CHUNK_SIZE, n -> {}));
      }
    }
    Digest digest =
        InventoryFile.write(new StoreWriter(layout), StoreInventory.of(manifests, hashes));
    System.out.println(digest);
  }
}
