package org.ollamaairgap.common.record;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.ollamaairgap.common.digest.Sha256;
import org.ollamaairgap.common.model.Digest;
import org.ollamaairgap.common.model.StoreException;

/**
 * The record's file in {@code --record-dir}: one file per store, named after the store's real path,
 * read strictly and written atomically (a temp file in the same directory, flushed to disk, then
 * renamed), so a crash leaves the old record or the new one, never half of one.
 *
 * <p>Reading never fails: a record that is unreadable, malformed in any entry, of another version
 * or of another store is ignored as a whole, with a warning, and every blob is hashed.
 */
public final class RecordFile {
  /** Marks the file as ours, so that a stray JSON file in the directory is not mistaken for one. */
  static final String KIND = "ollama-airgap/verification-record";

  /** A record larger than this is not read (about 100 000 blobs); it is ignored. */
  static final long MAX_BYTES = 64L * 1024 * 1024;

  private static final ObjectMapper JSON =
      new ObjectMapper(
          JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());
  private static final Set<String> TOP = Set.of("kind", "version", "store", "writtenAt", "blobs");
  private static final Set<String> STORE = Set.of("root", "inode", "device");
  private static final Set<String> BLOB =
      Set.of(
          "digest", "device", "inode", "size", "mtimeNanos", "ctimeNanos", "hashedAt", "inventory");

  /**
   * What reading found.
   *
   * @param record the record, or null when there is none to use
   * @param warning why an existing record was ignored, or null
   * @param note what happened, for the log (always set)
   */
  public record Loaded(VerificationRecord record, String warning, String note) {}

  private final Path dir;
  private final StoreIdentity store;
  private final Path file;

  /**
   * @param dir {@code --record-dir}; created on the first write
   * @param store the store this verifier checks
   */
  public RecordFile(Path dir, StoreIdentity store) {
    this.dir = dir.toAbsolutePath().normalize();
    this.store = store;
    String id = Sha256.of(store.root().getBytes(StandardCharsets.UTF_8)).hex().substring(0, 16);
    this.file = this.dir.resolve("verification-record-" + id + ".json");
  }

  public Path path() {
    return file;
  }

  /** Reads the record; never throws: anything doubtful is ignored with a warning. */
  public Loaded load() {
    long size;
    try {
      size = Files.size(file);
    } catch (NoSuchFileException e) {
      return new Loaded(
          null, null, "no verification record at " + file + " yet: every blob is hashed");
    } catch (IOException e) {
      return ignored("cannot be read (" + e + ")");
    }
    if (size > MAX_BYTES) {
      return ignored("has " + size + " bytes, more than a record may have (" + MAX_BYTES + ")");
    }
    VerificationRecord record;
    try (InputStream in = Files.newInputStream(file)) {
      record = parse(JSON.readTree(in));
    } catch (IOException e) {
      return ignored("is not valid JSON (" + e.getMessage().replace('\n', ' ') + ")");
    } catch (InvalidRecordException e) {
      return ignored(e.getMessage());
    }
    if (!record.store().sameStore(store)) {
      return ignored("belongs to another store (" + record.store() + ", this is " + store + ")");
    }
    return new Loaded(
        record,
        null,
        "verification record "
            + file
            + ": "
            + record.blobs().size()
            + " blobs, written "
            + record.writtenAt());
  }

  private Loaded ignored(String why) {
    String warning =
        "verification record "
            + file
            + " "
            + why
            + ": ignored, every blob is hashed (it is replaced after the next clean full check;"
            + " delete it to silence this warning)";
    return new Loaded(null, warning, warning);
  }

  /** Writes the record atomically, replacing the previous one. */
  public void write(VerificationRecord record) throws IOException {
    if (!record.store().sameStore(store)) {
      throw new IllegalArgumentException("record of " + record.store() + " written for " + store);
    }
    Files.createDirectories(dir);
    Path temp = Files.createTempFile(dir, ".verification-record-", ".tmp");
    try {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        OutputStream out = Channels.newOutputStream(channel);
        try (JsonGenerator json = JSON.getFactory().createGenerator(out)) {
          json.useDefaultPrettyPrinter();
          json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
          generate(json, record);
        }
        channel.force(true);
      }
      try {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
      }
      syncDirectory();
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** The rename is durable only once the directory is; best effort where that cannot be done. */
  private void syncDirectory() {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      // Some filesystems refuse to open or sync a directory; the rename itself stays atomic.
    }
  }

  private static void generate(JsonGenerator json, VerificationRecord record) throws IOException {
    json.writeStartObject();
    json.writeStringField("kind", KIND);
    json.writeNumberField("version", VerificationRecord.VERSION);
    json.writeObjectFieldStart("store");
    json.writeStringField("root", record.store().root());
    json.writeNumberField("inode", record.store().inode());
    json.writeNumberField("device", record.store().device());
    json.writeEndObject();
    json.writeStringField("writtenAt", record.writtenAt().toString());
    json.writeArrayFieldStart("blobs");
    for (RecordedBlob blob : record.blobs().values()) {
      FileStamp s = blob.stamp();
      json.writeStartObject();
      json.writeStringField("digest", blob.digest().toString());
      json.writeNumberField("device", s.device());
      json.writeNumberField("inode", s.inode());
      json.writeNumberField("size", s.size());
      json.writeNumberField("mtimeNanos", s.mtimeNanos());
      json.writeNumberField("ctimeNanos", s.ctimeNanos());
      json.writeStringField("hashedAt", blob.hashedAt().toString());
      if (blob.inventory() != null) {
        json.writeStringField("inventory", blob.inventory().toString());
      }
      json.writeEndObject();
    }
    json.writeEndArray();
    json.writeEndObject();
  }

  private static VerificationRecord parse(JsonNode root) throws InvalidRecordException {
    if (root == null || !root.isObject()) {
      throw new InvalidRecordException("is not a JSON object");
    }
    JsonNode kind = root.get("kind");
    if (kind == null || !KIND.equals(kind.asText(null))) {
      throw new InvalidRecordException("is not a verification record (kind is not " + KIND + ")");
    }
    JsonNode version = root.get("version");
    if (version == null || !version.isInt() || version.intValue() != VerificationRecord.VERSION) {
      throw new InvalidRecordException(
          "has version " + version + ", this verifier reads version " + VerificationRecord.VERSION);
    }
    fields(root, TOP, "the record");
    JsonNode storeNode = object(root, "store", "the record");
    fields(storeNode, STORE, "store");
    StoreIdentity identity =
        new StoreIdentity(
            text(storeNode, "root", "store"),
            number(storeNode, "inode", "store"),
            number(storeNode, "device", "store"));
    Instant writtenAt = instant(root, "writtenAt", "the record");
    JsonNode blobs = root.get("blobs");
    if (blobs == null || !blobs.isArray()) {
      throw new InvalidRecordException("has no blobs array");
    }
    Map<Digest, RecordedBlob> recorded = new HashMap<>();
    int index = 0;
    for (JsonNode node : blobs) {
      String where = "blobs[" + index++ + "]";
      if (!node.isObject()) {
        throw new InvalidRecordException("has " + where + " that is not an object");
      }
      fields(node, BLOB, where);
      Digest digest = digest(node, "digest", where);
      FileStamp stamp =
          new FileStamp(
              number(node, "device", where),
              number(node, "inode", where),
              number(node, "size", where),
              number(node, "mtimeNanos", where),
              number(node, "ctimeNanos", where));
      if (stamp.size() < 0) {
        throw new InvalidRecordException("has a negative size in " + where);
      }
      Digest inventory = node.has("inventory") ? digest(node, "inventory", where) : null;
      RecordedBlob blob =
          new RecordedBlob(digest, stamp, instant(node, "hashedAt", where), inventory);
      if (recorded.put(digest, blob) != null) {
        throw new InvalidRecordException("records " + digest + " twice");
      }
    }
    return new VerificationRecord(identity, writtenAt, recorded);
  }

  private static void fields(JsonNode node, Set<String> allowed, String where)
      throws InvalidRecordException {
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!allowed.contains(name)) {
        throw new InvalidRecordException("has an unknown field " + name + " in " + where);
      }
    }
  }

  private static JsonNode object(JsonNode node, String field, String where)
      throws InvalidRecordException {
    JsonNode value = node.get(field);
    if (value == null || !value.isObject()) {
      throw new InvalidRecordException("has no object " + field + " in " + where);
    }
    return value;
  }

  private static String text(JsonNode node, String field, String where)
      throws InvalidRecordException {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual()) {
      throw new InvalidRecordException("has no text " + field + " in " + where);
    }
    return value.textValue();
  }

  private static long number(JsonNode node, String field, String where)
      throws InvalidRecordException {
    JsonNode value = node.get(field);
    if (value == null || !value.isIntegralNumber() || !value.canConvertToLong()) {
      throw new InvalidRecordException("has no whole number " + field + " in " + where);
    }
    return value.longValue();
  }

  private static Instant instant(JsonNode node, String field, String where)
      throws InvalidRecordException {
    String text = text(node, field, where);
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new InvalidRecordException(
          "has " + field + " " + text + " in " + where + ", not a time");
    }
  }

  private static Digest digest(JsonNode node, String field, String where)
      throws InvalidRecordException {
    String text = text(node, field, where);
    try {
      Digest digest = Digest.parse(text);
      if (!digest.toString().equals(text)) {
        throw new InvalidRecordException(
            "has " + field + " " + text + " in " + where + ", not sha256:<hex>");
      }
      return digest;
    } catch (StoreException e) {
      throw new InvalidRecordException(
          "has " + field + " " + text + " in " + where + ": " + e.getMessage());
    }
  }

  /** Why a record file cannot be used; never leaves this class. */
  private static final class InvalidRecordException extends Exception {
    private static final long serialVersionUID = 1L;

    InvalidRecordException(String message) {
      super(message);
    }
  }
}
