package org.ollamaairgap.common.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An Ollama manifest (Docker "image manifest v2, schema 2" shape), parsed strictly and kept
 * together with the exact bytes it came from. The SHA-256 of those bytes is what Ollama shows as
 * the model ID, so the bytes are never re-encoded.
 *
 * <p>Strict means: a UTF-8 JSON object, at most {@link #MAX_BYTES}, with no duplicate keys, no key
 * that Go would take for a known one without being it ({@code Layers}), and nothing after it (see
 * {@link ManifestJson} for why), {@code schemaVersion} 2, a {@code config} and a {@code layers}
 * array whose entries each have a valid {@code digest} and a non-negative integer {@code size}; a
 * digest listed twice has the same size both times and the sizes add up to at most 2^63-1. Unknown
 * fields and unknown media types are accepted, as Ollama accepts them.
 */
public final class Manifest {
  /**
   * Registry manifests are a few KB; tensor models with thousands of layers stay well under a MB.
   * Anything bigger is hostile or broken, and refusing it keeps memory bounded.
   */
  public static final int MAX_BYTES = 4 * 1024 * 1024;

  public static final String MEDIA_TYPE = "application/vnd.docker.distribution.manifest.v2+json";

  private final byte[] bytes;
  private final Digest digest;
  private final int schemaVersion;
  private final String mediaType;
  private final Descriptor config;
  private final List<Descriptor> layers;
  private final long totalSize;

  private Manifest(
      byte[] bytes,
      Digest digest,
      int schemaVersion,
      String mediaType,
      Descriptor config,
      List<Descriptor> layers,
      long totalSize) {
    this.bytes = bytes;
    this.digest = digest;
    this.schemaVersion = schemaVersion;
    this.mediaType = mediaType;
    this.config = config;
    this.layers = layers;
    this.totalSize = totalSize;
  }

  /** Parses manifest bytes as a registry served them or as they lie on disk. */
  public static Manifest parse(byte[] bytes) throws StoreException {
    if (bytes.length > MAX_BYTES) {
      throw invalid(
          "it is " + bytes.length + " bytes, more than the " + MAX_BYTES + " a manifest may have");
    }
    JsonNode root = ManifestJson.read(bytes);
    ManifestJson.checkKeys(root, ManifestJson.MANIFEST_KEYS, "at the top level");
    JsonNode version = root.get("schemaVersion");
    // canConvertToInt first: asLong() wraps big integers, and 2^64+2 would pass as 2.
    if (version == null
        || !version.isIntegralNumber()
        || !version.canConvertToInt()
        || version.intValue() != 2) {
      throw invalid("schemaVersion is " + describe(version) + ", expected 2");
    }
    JsonNode media = root.get("mediaType");
    if (media != null && !media.isTextual() && !media.isNull()) {
      throw invalid("mediaType is " + describe(media) + ", expected a string");
    }
    Descriptor config = descriptor(root.get("config"), "config");
    JsonNode layerArray = root.get("layers");
    if (layerArray == null || !layerArray.isArray()) {
      throw invalid("layers is " + describe(layerArray) + ", expected an array");
    }
    List<Descriptor> layers = new ArrayList<>(layerArray.size());
    // One digest is one content and so one size. blobs() keeps only the first entry of a digest,
    // so a conflicting second size would otherwise go unnoticed; the total must fit in a long.
    Map<Digest, Long> sizes = new HashMap<>();
    Map<Digest, String> firstAt = new HashMap<>();
    sizes.put(config.digest(), config.size());
    firstAt.put(config.digest(), "config");
    long total = config.size();
    for (int i = 0; i < layerArray.size(); i++) {
      String where = "layers[" + i + "]";
      Descriptor layer = descriptor(layerArray.get(i), where);
      Long known = sizes.putIfAbsent(layer.digest(), layer.size());
      if (known == null) {
        firstAt.put(layer.digest(), where);
        try {
          total = Math.addExact(total, layer.size());
        } catch (ArithmeticException e) {
          throw invalid(
              where + ".size " + layer.size() + " makes the total size exceed 2^63-1 bytes");
        }
      } else if (known != layer.size()) {
        throw invalid(
            where
                + ".size is "
                + layer.size()
                + " but "
                + firstAt.get(layer.digest())
                + " has the same digest "
                + layer.digest().shortHex()
                + " with size "
                + known);
      }
      layers.add(layer);
    }
    byte[] copy = bytes.clone();
    return new Manifest(
        copy,
        sha256(copy),
        2,
        media == null || media.isNull() ? null : media.asText(),
        config,
        Collections.unmodifiableList(layers),
        total);
  }

  private static Descriptor descriptor(JsonNode node, String where) throws StoreException {
    if (node == null || !node.isObject()) {
      throw invalid(where + " is " + describe(node) + ", expected an object");
    }
    ManifestJson.checkKeys(node, ManifestJson.DESCRIPTOR_KEYS, "in " + where);
    JsonNode digest = node.get("digest");
    if (digest == null || !digest.isTextual() || digest.asText().isEmpty()) {
      throw invalid(where + ".digest is " + describe(digest) + ", expected sha256:<64 hex>");
    }
    Digest parsed;
    try {
      parsed = Digest.parse(digest.asText());
    } catch (StoreException e) {
      throw invalid(where + ".digest: " + e.getMessage());
    }
    JsonNode size = node.get("size");
    if (size == null || !size.isIntegralNumber()) {
      throw invalid(where + ".size is " + describe(size) + ", expected a whole number of bytes");
    }
    if (!size.canConvertToLong()) {
      throw invalid(where + ".size is " + describe(size) + ", more than 2^63-1 bytes");
    }
    if (size.asLong() < 0) {
      throw invalid(where + ".size is negative (" + size.asLong() + ")");
    }
    return new Descriptor(
        text(node, "mediaType", where),
        parsed,
        size.asLong(),
        text(node, "from", where),
        text(node, "name", where));
  }

  private static String text(JsonNode node, String field, String where) throws StoreException {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw invalid(where + "." + field + " is " + describe(value) + ", expected a string");
    }
    return value.asText();
  }

  private static String describe(JsonNode node) {
    if (node == null) {
      return "missing";
    }
    if (node.isNull()) {
      return "null";
    }
    String text = node.toString();
    return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT)
        + " "
        + (text.length() > 60 ? text.substring(0, 60) + "..." : text);
  }

  static StoreException invalid(String why) {
    return new StoreException(StoreException.Reason.MANIFEST_INVALID, "invalid manifest: " + why);
  }

  private static Digest sha256(byte[] bytes) {
    try {
      return Digest.of(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  /** The exact bytes this manifest was parsed from (a copy). */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** The SHA-256 of the manifest bytes: Ollama's model ID. */
  public Digest digest() {
    return digest;
  }

  public int schemaVersion() {
    return schemaVersion;
  }

  /** The manifest's media type, or null when it names none. */
  public String mediaType() {
    return mediaType;
  }

  public Descriptor config() {
    return config;
  }

  public List<Descriptor> layers() {
    return layers;
  }

  /** The config first, then the layers, as listed (a digest may repeat). */
  public List<Descriptor> descriptors() {
    List<Descriptor> all = new ArrayList<>(layers.size() + 1);
    all.add(config);
    all.addAll(layers);
    return all;
  }

  /**
   * Each distinct blob once, config first, then layers in order. A model's size counts every
   * distinct blob once.
   */
  public Map<Digest, Descriptor> blobs() {
    Map<Digest, Descriptor> distinct = new LinkedHashMap<>();
    for (Descriptor d : descriptors()) {
      distinct.putIfAbsent(d.digest(), d);
    }
    return Collections.unmodifiableMap(distinct);
  }

  /** Total bytes of the distinct blobs: config plus layers. */
  public long totalSize() {
    return totalSize;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Manifest other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return digest.hashCode();
  }

  @Override
  public String toString() {
    return "Manifest[" + digest + ", " + layers.size() + " layers, " + totalSize() + " bytes]";
  }
}
