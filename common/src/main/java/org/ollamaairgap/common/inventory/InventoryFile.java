package org.ollamaairgap.common.inventory;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.ollamaairgap.common.digest.ChunkedHash;
import org.ollamaairgap.common.digest.Sha256;
import org.ollamaairgap.common.inventory.InventoryException.Reason;
import org.ollamaairgap.common.model.Digest;
import org.ollamaairgap.common.store.StoreLayout;
import org.ollamaairgap.common.store.StoreWriter;

/**
 * Reads and writes {@code <store>/.ollama-airgap/inventory.json}. The file is what production pins
 * (by its SHA-256, the inventory digest), so the reader is strict: an unknown version or field, a
 * repeated key, a chunk list that does not fit the blob's size are refused with the reason, never
 * read past. Format (version 1):
 *
 * <pre>
 * {"version": 1,
 *  "models": [{"name": "registry.ollama.ai/library/llama3.2:1b", "manifestDigest": "sha256:…",
 *              "size": 1321098329, "blobs": ["sha256:…", …]}],
 *  "blobs":  [{"digest": "sha256:…", "size": 1321082688, "chunkSize": 67108864,
 *              "chunks": ["sha256:…", …]}]}
 * </pre>
 *
 * Chunk {@code i} of a blob covers bytes {@code [i * chunkSize, min(size, (i + 1) * chunkSize))}.
 */
public final class InventoryFile {
  /** Far above any real store (a 240 GB model is about 300 KB of chunk digests). */
  public static final long MAX_BYTES = 64L << 20;

  private static final JsonMapper JSON =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(SerializationFeature.INDENT_OUTPUT)
          .build();

  private InventoryFile() {}

  /** An inventory read from a file, with the SHA-256 of the bytes it was parsed from. */
  public record Read(StoreInventory inventory, Digest digest) {}

  /** The file's bytes: the same inventory always gives the same bytes. */
  public static byte[] toJson(StoreInventory inventory) {
    ObjectNode root = JSON.createObjectNode();
    root.put("version", StoreInventory.VERSION);
    ArrayNode models = root.putArray("models");
    for (StoreInventory.Model m : inventory.models().values()) {
      ObjectNode node = models.addObject();
      node.put("name", m.name().toString());
      node.put("manifestDigest", m.manifestDigest().toString());
      node.put("size", m.size());
      ArrayNode blobs = node.putArray("blobs");
      m.blobs().forEach(d -> blobs.add(d.toString()));
    }
    ArrayNode blobs = root.putArray("blobs");
    for (ChunkedHash b : inventory.blobs().values()) {
      ObjectNode node = blobs.addObject();
      node.put("digest", b.digest().toString());
      node.put("size", b.size());
      node.put("chunkSize", b.chunkSize());
      ArrayNode chunks = node.putArray("chunks");
      b.chunks().forEach(d -> chunks.add(d.toString()));
    }
    try {
      return (JSON.writeValueAsString(root) + "\n")
          .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serializes", e);
    }
  }

  /**
   * Writes the store's inventory file atomically (a flushed temp file in the staging directory,
   * renamed over the old one) and returns its digest. The caller holds the store's lock.
   */
  public static Digest write(StoreWriter writer, StoreInventory inventory) throws IOException {
    byte[] bytes = toJson(inventory);
    StoreWriter.mkdirs(writer.layout().stagingDir());
    writer.replaceDurably(writer.layout().inventory(), bytes);
    return Sha256.of(bytes);
  }

  /** Reads the store's inventory file, whatever its digest. */
  public static Read read(StoreLayout layout) throws InventoryException {
    return read(layout.inventory(), null);
  }

  /**
   * Reads {@code file}; with {@code pin}, the file must hash to it before anything in it is
   * believed.
   */
  public static Read read(Path file, Digest pin) throws InventoryException {
    byte[] bytes = bytes(file);
    Digest digest = Sha256.of(bytes);
    if (pin != null && !pin.equals(digest)) {
      throw new InventoryException(
          Reason.NOT_PINNED,
          "inventory "
              + file
              + " has SHA-256 "
              + digest
              + ", not the pinned "
              + pin
              + ": the store was staged again or the file was changed");
    }
    return new Read(parse(bytes, file.toString()), digest);
  }

  private static byte[] bytes(Path file) throws InventoryException {
    try {
      long size = Files.size(file);
      if (size > MAX_BYTES) {
        throw new InventoryException(
            Reason.MALFORMED,
            "inventory " + file + " has " + size + " bytes, more than an inventory can have");
      }
      if (!Files.isRegularFile(file)) {
        throw new InventoryException(
            Reason.UNREADABLE, "inventory " + file + " is not a regular file");
      }
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new InventoryException(Reason.MISSING, "inventory " + file + " does not exist", e);
    } catch (IOException e) {
      throw new InventoryException(
          Reason.UNREADABLE, "cannot read inventory " + file + ": " + e.getMessage(), e);
    }
  }

  /** Parses inventory bytes; {@code source} names them in messages. */
  public static StoreInventory parse(byte[] bytes, String source) throws InventoryException {
    JsonNode root;
    try (JsonParser parser = JSON.createParser(bytes)) {
      root = JSON.readTree(parser);
    } catch (IOException e) {
      throw new InventoryException(
          e.getMessage() != null && e.getMessage().startsWith("Duplicate field")
              ? Reason.DUPLICATE
              : Reason.MALFORMED,
          "inventory " + source + " is not valid JSON: " + firstLine(e.getMessage()),
          e);
    }
    return new InventoryParser(source).parse(root);
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
