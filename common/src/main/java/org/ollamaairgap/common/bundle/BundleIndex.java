package org.ollamaairgap.common.bundle;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.ollamaairgap.common.model.Digest;
import org.ollamaairgap.common.model.Manifest;
import org.ollamaairgap.common.model.ModelName;
import org.ollamaairgap.common.model.StoreException;

/**
 * A bundle's {@code index.json}: an OCI image index with one manifest descriptor per model, its
 * canonical Ollama name in {@code org.opencontainers.image.ref.name}.
 *
 * <p>The descriptors are typed {@value #DESCRIPTOR_MEDIA_TYPE} although the bytes they point at are
 * the registry's Docker v2 manifest, unchanged (their SHA-256 is the model ID). This is deliberate:
 * skopeo 1.9.3 (Debian 12), the tool a site uses to push a bundle into its Harbor, finds only index
 * entries of the OCI manifest or index types and answers "no descriptor found" for a Docker-typed
 * one; it then copies the bytes unchanged and the registry serves them under their own type. The
 * true type is kept in the {@value #MANIFEST_TYPE} annotation, and readers here never trust the
 * descriptor's type: they hash the bytes and parse them as a manifest. Reading accepts either type,
 * so an index written by another tool that labels the entries Docker v2 imports too.
 *
 * @see <a href="https://github.com/opencontainers/image-spec/blob/main/image-index.md">image
 *     index</a>
 */
public final class BundleIndex {
  public static final String INDEX_MEDIA_TYPE = "application/vnd.oci.image.index.v1+json";
  public static final String DESCRIPTOR_MEDIA_TYPE = "application/vnd.oci.image.manifest.v1+json";
  public static final String REF_NAME = "org.opencontainers.image.ref.name";
  public static final String MANIFEST_TYPE = "org.ollamaairgap.manifest.mediaType";
  private static final int MAX_BYTES = 4 * 1024 * 1024;

  private static final ObjectMapper JSON =
      JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  /** One model: its name and its manifest blob. */
  public record Entry(ModelName name, Digest manifest, long size) {}

  private final List<Entry> entries;

  public BundleIndex(List<Entry> entries) {
    this.entries = List.copyOf(entries);
  }

  public List<Entry> entries() {
    return entries;
  }

  public byte[] toJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("schemaVersion", 2);
    root.put("mediaType", INDEX_MEDIA_TYPE);
    ArrayNode list = root.putArray("manifests");
    for (Entry e : entries) {
      ObjectNode d = list.addObject();
      d.put("mediaType", DESCRIPTOR_MEDIA_TYPE);
      d.put("digest", e.manifest().toString());
      d.put("size", e.size());
      ObjectNode a = d.putObject("annotations");
      a.put(REF_NAME, e.name().toString());
      a.put(MANIFEST_TYPE, Manifest.MEDIA_TYPE);
    }
    try {
      return (JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n")
          .getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serializes", e);
    }
  }

  /** Parses {@code index.json}; any doubt about an entry refuses the whole index. */
  public static BundleIndex parse(byte[] bytes, String source) throws BundleException {
    if (bytes.length > MAX_BYTES) {
      throw bad(source, "it is " + bytes.length + " bytes, more than " + MAX_BYTES);
    }
    JsonNode root;
    try {
      root = JSON.readTree(bytes);
    } catch (IOException e) {
      throw bad(source, "not valid JSON: " + e.getMessage());
    }
    if (root == null || !root.isObject() || root.path("schemaVersion").asInt(-1) != 2) {
      throw bad(source, "not an OCI image index (schemaVersion 2 object)");
    }
    JsonNode list = root.get("manifests");
    if (list == null || !list.isArray()) {
      throw bad(source, "'manifests' is missing or not an array");
    }
    List<Entry> entries = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < list.size(); i++) {
      Entry e = entry(list.get(i), source, "manifests[" + i + "]");
      // Ollama treats names that differ only in case as one model: two entries would fight.
      Integer first = seen.putIfAbsent(e.name().toString().toLowerCase(Locale.ROOT), i);
      if (first != null) {
        throw bad(
            source,
            "manifests[" + i + "] names " + e.name() + " again (as manifests[" + first + "])");
      }
      entries.add(e);
    }
    return new BundleIndex(entries);
  }

  private static Entry entry(JsonNode d, String source, String where) throws BundleException {
    if (d == null || !d.isObject()) {
      throw bad(source, where + " is not an object");
    }
    String type = d.path("mediaType").asText("");
    if (!type.equals(DESCRIPTOR_MEDIA_TYPE) && !type.equals(Manifest.MEDIA_TYPE)) {
      throw bad(
          source,
          where
              + " has mediaType '"
              + type
              + "', expected '"
              + DESCRIPTOR_MEDIA_TYPE
              + "' or '"
              + Manifest.MEDIA_TYPE
              + "' (an Ollama model manifest)");
    }
    String ref = d.path("annotations").path(REF_NAME).asText("");
    if (ref.isEmpty()) {
      throw bad(source, where + " has no '" + REF_NAME + "' annotation naming its model");
    }
    ModelName name;
    Digest digest;
    try {
      name = ModelName.parse(ref);
      digest = Digest.parse(d.path("digest").asText(""));
    } catch (StoreException e) {
      throw bad(source, where + ": " + e.getMessage());
    }
    JsonNode size = d.get("size");
    if (size == null || !size.isIntegralNumber() || !size.canConvertToLong() || size.asLong() < 0) {
      throw bad(source, where + ".size is missing or not a byte count");
    }
    if (size.asLong() > Manifest.MAX_BYTES) {
      throw bad(source, where + ".size " + size.asLong() + " is larger than any manifest may be");
    }
    return new Entry(name, digest, size.asLong());
  }

  private static BundleException bad(String source, String why) {
    return new BundleException("bundle index " + source + " is not usable: " + why);
  }
}
