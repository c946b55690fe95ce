package org.ollamaairgap.common.inventory;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ollamaairgap.common.digest.ChunkedHash;
import org.ollamaairgap.common.inventory.InventoryException.Reason;
import org.ollamaairgap.common.model.Digest;
import org.ollamaairgap.common.model.ModelName;
import org.ollamaairgap.common.model.StoreException;

/**
 * Turns a parsed JSON tree into a {@link StoreInventory}, refusing anything but version 1 exactly.
 */
final class InventoryParser {
  private static final Set<String> ROOT = Set.of("version", "models", "blobs");
  private static final Set<String> MODEL = Set.of("name", "manifestDigest", "size", "blobs");
  private static final Set<String> BLOB = Set.of("digest", "size", "chunkSize", "chunks");

  private final String source;

  InventoryParser(String source) {
    this.source = source;
  }

  StoreInventory parse(JsonNode root) throws InventoryException {
    object(root, "the document", ROOT);
    JsonNode version = root.get("version");
    if (version == null || !version.isInt()) {
      throw malformed("'version' is missing or not an integer");
    }
    if (version.intValue() != StoreInventory.VERSION) {
      throw new InventoryException(
          Reason.UNSUPPORTED_VERSION,
          "inventory "
              + source
              + " has version "
              + version.intValue()
              + "; this program reads version "
              + StoreInventory.VERSION
              + ": use a verifier and stager of the same release");
    }
    Map<Digest, ChunkedHash> blobs = new LinkedHashMap<>();
    JsonNode blobList = array(root.get("blobs"), "'blobs'");
    for (int i = 0; i < blobList.size(); i++) {
      ChunkedHash blob = blob(blobList.get(i), "blobs[" + i + "]");
      if (blobs.put(blob.digest(), blob) != null) {
        throw new InventoryException(
            Reason.DUPLICATE, "inventory " + source + " lists blob " + blob.digest() + " twice");
      }
    }
    Map<ModelName, StoreInventory.Model> models = new LinkedHashMap<>();
    Map<String, ModelName> keys = new LinkedHashMap<>();
    JsonNode modelList = array(root.get("models"), "'models'");
    for (int i = 0; i < modelList.size(); i++) {
      StoreInventory.Model model = model(modelList.get(i), "models[" + i + "]", blobs);
      if (keys.put(model.name().key(), model.name()) != null) {
        throw new InventoryException(
            Reason.DUPLICATE, "inventory " + source + " lists model " + model.name() + " twice");
      }
      models.put(model.name(), model);
    }
    return new StoreInventory(models, blobs);
  }

  private StoreInventory.Model model(JsonNode node, String where, Map<Digest, ChunkedHash> blobs)
      throws InventoryException {
    object(node, where, MODEL);
    String text = text(node, "name", where);
    ModelName name;
    try {
      name = ModelName.parse(text);
    } catch (StoreException e) {
      throw malformed(where + ".name: " + e.getMessage());
    }
    if (!name.toString().equals(text)) {
      throw malformed(where + ".name '" + text + "' is not canonical (" + name + ")");
    }
    Digest manifest = digest(node, "manifestDigest", where);
    long size = count(node, "size", where);
    List<Digest> listed = new ArrayList<>();
    JsonNode list = array(node.get("blobs"), where + ".blobs");
    for (int i = 0; i < list.size(); i++) {
      Digest blob = digest(list.get(i), where + ".blobs[" + i + "]");
      if (!blobs.containsKey(blob)) {
        throw malformed(where + " lists blob " + blob + ", which 'blobs' does not describe");
      }
      if (listed.contains(blob)) {
        throw new InventoryException(
            Reason.DUPLICATE, "inventory " + source + ": " + where + " lists " + blob + " twice");
      }
      listed.add(blob);
    }
    return new StoreInventory.Model(name, manifest, size, listed);
  }

  private ChunkedHash blob(JsonNode node, String where) throws InventoryException {
    object(node, where, BLOB);
    Digest digest = digest(node, "digest", where);
    long size = count(node, "size", where);
    long chunkSize = count(node, "chunkSize", where);
    if (chunkSize == 0) {
      throw new InventoryException(
          Reason.BAD_CHUNKING, "inventory " + source + ": " + where + " has chunk size 0");
    }
    JsonNode list = array(node.get("chunks"), where + ".chunks");
    long needed = ChunkedHash.chunkCount(size, chunkSize);
    if (list.size() != needed) {
      throw new InventoryException(
          list.size() < needed ? Reason.TRUNCATED_CHUNKS : Reason.BAD_CHUNKING,
          "inventory "
              + source
              + ": blob "
              + digest
              + " has "
              + size
              + " bytes in chunks of "
              + chunkSize
              + ", which make "
              + needed
              + " chunks, but "
              + list.size()
              + " chunk digests are listed"
              + (list.size() < needed ? " (the list is truncated)" : ""));
    }
    List<Digest> chunks = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      chunks.add(digest(list.get(i), where + ".chunks[" + i + "]"));
    }
    return new ChunkedHash(digest, size, chunkSize, chunks);
  }

  private void object(JsonNode node, String where, Set<String> fields) throws InventoryException {
    if (node == null || !node.isObject()) {
      throw malformed(where + " is not a JSON object");
    }
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!fields.contains(name)) {
        throw malformed(where + " has the unknown field '" + name + "'");
      }
    }
  }

  private JsonNode array(JsonNode node, String where) throws InventoryException {
    if (node == null || !node.isArray()) {
      throw malformed(where + " is missing or not an array");
    }
    return node;
  }

  private String text(JsonNode node, String field, String where) throws InventoryException {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual()) {
      throw malformed(where + "." + field + " is missing or not a string");
    }
    return value.textValue();
  }

  private long count(JsonNode node, String field, String where) throws InventoryException {
    JsonNode value = node.get(field);
    if (value == null || !value.isIntegralNumber() || !value.canConvertToLong()) {
      throw malformed(where + "." + field + " is missing or not an integer");
    }
    long n = value.longValue();
    if (n < 0) {
      throw malformed(where + "." + field + " is negative (" + n + ")");
    }
    return n;
  }

  private Digest digest(JsonNode node, String field, String where) throws InventoryException {
    return digest(node.get(field), where + "." + field);
  }

  private Digest digest(JsonNode value, String where) throws InventoryException {
    if (value == null || !value.isTextual()) {
      throw malformed(where + " is missing or not a string");
    }
    if (!value.textValue().startsWith("sha256:")) {
      throw malformed(where + " '" + value.textValue() + "' is not sha256:<64 hex>");
    }
    try {
      return Digest.parse(value.textValue());
    } catch (StoreException e) {
      throw malformed(where + ": " + e.getMessage());
    }
  }

  private InventoryException malformed(String why) {
    return new InventoryException(
        Reason.MALFORMED, "inventory " + source + " is not a valid inventory: " + why);
  }
}
