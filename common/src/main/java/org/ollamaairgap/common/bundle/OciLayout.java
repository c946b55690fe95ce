package org.ollamaairgap.common.bundle;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.ollamaairgap.common.model.Digest;

/**
 * The names inside a bundle, an OCI Image Layout with our inventory files beside it:
 *
 * <pre>
 *   oci-layout               {"imageLayoutVersion":"1.0.0"}
 *   index.json               one manifest descriptor per model (see {@link BundleIndex})
 *   inventory.json           the store inventory, when the source store has one
 *   inventory.dsse.json      its DSSE envelope, when signed
 *   blobs/sha256/&lt;hex&gt;       the manifests (the registry's bytes) and the blobs
 *   .ollama-airgap-tmp/      ours, while an export runs: removed when it completes
 * </pre>
 *
 * The inventory files sit at the top, not in a hidden directory, so that copying a bundle with a
 * shell glob keeps them. Path getters create nothing.
 */
public final class OciLayout {
  public static final String LAYOUT_FILE = "oci-layout";
  public static final String INDEX = "index.json";
  public static final String INVENTORY = "inventory.json";
  public static final String ENVELOPE = "inventory.dsse.json";
  public static final String BLOBS = "blobs/sha256/";
  public static final String TEMP = ".ollama-airgap-tmp";
  public static final byte[] LAYOUT_BYTES =
      "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.US_ASCII);

  private final Path root;

  public OciLayout(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  public Path root() {
    return root;
  }

  public Path layoutFile() {
    return root.resolve(LAYOUT_FILE);
  }

  public Path index() {
    return root.resolve(INDEX);
  }

  /** A top-level file of the bundle: {@link #INVENTORY} or {@link #ENVELOPE}. */
  public Path file(String name) {
    return root.resolve(name);
  }

  public Path blobsDir() {
    return root.resolve("blobs").resolve("sha256");
  }

  /** {@code blobs/sha256/<hex>}. */
  public Path blob(Digest digest) {
    return blobsDir().resolve(digest.hex());
  }

  public Path tempDir() {
    return root.resolve(TEMP);
  }

  /** The path of a blob inside a bundle or its tar stream, as messages and tar entries name it. */
  public static String blobName(Digest digest) {
    return BLOBS + digest.hex();
  }

  /**
   * Files a Mac leaves on any disk it touches: AppleDouble {@code ._name} companions and Finder's
   * {@code .DS_Store}. A bundle carried on such a disk must import all the same.
   */
  public static boolean isMacJunk(String path) {
    String name = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    name = name.substring(name.lastIndexOf('/') + 1);
    return name.startsWith("._")
        || name.equals(".DS_Store")
        || path.startsWith("__MACOSX/")
        || path.contains("/__MACOSX/");
  }

  @Override
  public String toString() {
    return root.toString();
  }
}
