package org.ollamaairgap.common.prune;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.ollamaairgap.common.model.Digest;
import org.ollamaairgap.common.store.StoreWriter;

/**
 * {@code .ollama-airgap/tombstones.json}: the blobs waiting for the prune grace. Read strictly; a
 * file that cannot be trusted is ignored as a whole with a warning, which only restarts the grace
 * for every blob (deletes later, never earlier), so reading never fails a run.
 */
public final class Tombstones {
  static final String KIND = "ollama-airgap/tombstones";
  static final int VERSION = 1;
  static final long MAX_BYTES = 64L * 1024 * 1024;

  private static final ObjectMapper JSON =
      new ObjectMapper(
          JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());
  private static final Set<String> TOP = Set.of("kind", "version", "blobs");
  private static final Set<String> ENTRY = Set.of("digest", "size", "since", "model");

  private final Map<Digest, Tombstone> entries;

  private Tombstones(Map<Digest, Tombstone> entries) {
    this.entries = entries;
  }

  public static Tombstones empty() {
    return new Tombstones(new TreeMap<>());
  }

  public static Tombstones of(Collection<Tombstone> tombstones) {
    Map<Digest, Tombstone> map = new TreeMap<>();
    for (Tombstone t : tombstones) {
      map.put(t.digest(), t);
    }
    return new Tombstones(map);
  }

  /**
   * What reading found.
   *
   * @param tombstones what to use (empty when the file is missing or ignored)
   * @param warning why an existing file was ignored, or null
   */
  public record Read(Tombstones tombstones, String warning) {}

  public static Read read(Path file) {
    try {
      if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
        return Files.exists(file, LinkOption.NOFOLLOW_LINKS)
            ? ignored(file, "it is not a regular file")
            : new Read(empty(), null);
      }
      if (Files.size(file) > MAX_BYTES) {
        return ignored(file, "it is larger than " + MAX_BYTES + " bytes");
      }
      return new Read(parse(JSON.readTree(Files.readAllBytes(file))), null);
    } catch (NoSuchFileException e) {
      return new Read(empty(), null);
    } catch (IOException | IllegalArgumentException e) {
      return ignored(file, e.getMessage());
    }
  }

  private static Read ignored(Path file, String why) {
    return new Read(
        empty(),
        "ignoring "
            + file
            + " ("
            + why
            + "): the prune grace starts again for every unreferenced blob, so they are deleted"
            + " later, never earlier");
  }

  private static Tombstones parse(JsonNode root) {
    expectKeys(root, TOP, "the file");
    if (!KIND.equals(text(root, "kind"))) {
      throw new IllegalArgumentException("kind is not " + KIND);
    }
    if (!root.path("version").isInt() || root.path("version").intValue() != VERSION) {
      throw new IllegalArgumentException("version " + root.path("version") + " is not " + VERSION);
    }
    JsonNode blobs = root.path("blobs");
    if (!blobs.isArray()) {
      throw new IllegalArgumentException("blobs is not a list");
    }
    Map<Digest, Tombstone> map = new TreeMap<>();
    for (JsonNode entry : blobs) {
      expectKeys(entry, ENTRY, "a blob entry");
      Digest digest = digest(text(entry, "digest"));
      JsonNode size = entry.path("size");
      if (!size.canConvertToLong() || !size.isIntegralNumber() || size.longValue() < 0) {
        throw new IllegalArgumentException("size of " + digest + " is not a byte count");
      }
      Instant since;
      try {
        since = Instant.parse(text(entry, "since"));
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException(
            "since of " + digest + " is not a time: " + e.getMessage(), e);
      }
      if (map.put(digest, new Tombstone(digest, size.longValue(), since, text(entry, "model")))
          != null) {
        throw new IllegalArgumentException(digest + " is listed twice");
      }
    }
    return new Tombstones(map);
  }

  private static Digest digest(String text) {
    try {
      return Digest.parse(text);
    } catch (org.ollamaairgap.common.model.StoreException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  private static void expectKeys(JsonNode node, Set<String> allowed, String what) {
    if (!node.isObject()) {
      throw new IllegalArgumentException(what + " is not a JSON object");
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!allowed.contains(key)) {
        throw new IllegalArgumentException(what + " has an unknown key '" + key + "'");
      }
    }
  }

  private static String text(JsonNode node, String key) {
    JsonNode value = node.get(key);
    if (value == null || !value.isTextual()) {
      throw new IllegalArgumentException(key + " is missing or not a string");
    }
    return value.textValue();
  }

  /** Writes the file atomically through the store's staging directory. */
  public void write(StoreWriter writer, Path file) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("kind", KIND);
    root.put("version", VERSION);
    ArrayNode blobs = root.putArray("blobs");
    for (Tombstone t : entries.values()) {
      ObjectNode entry = blobs.addObject();
      entry.put("digest", t.digest().toString());
      entry.put("size", t.size());
      entry.put("since", t.since().toString());
      entry.put("model", t.model());
    }
    writer.replaceDurably(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
  }

  public Tombstone get(Digest digest) {
    return entries.get(digest);
  }

  public Collection<Tombstone> all() {
    return entries.values();
  }

  public boolean isEmpty() {
    return entries.isEmpty();
  }

  public int size() {
    return entries.size();
  }
}
