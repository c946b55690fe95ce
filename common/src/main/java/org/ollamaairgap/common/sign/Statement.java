package org.ollamaairgap.common.sign;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ollamaairgap.common.model.Digest;
import org.ollamaairgap.common.model.StoreException;
import org.ollamaairgap.common.sign.SignatureCheckException.Reason;

/**
 * An in-toto Statement v1: what was signed ({@code subject}: names with their SHA-256) and a claim
 * about it ({@code predicateType}, {@code predicate}). Ours has the store's files as subjects
 * (manifests by their path under the store, blobs, and the inventory file itself) and the inventory
 * as predicate, of type {@link #INVENTORY_PREDICATE}.
 *
 * @see <a href="https://github.com/in-toto/attestation/blob/main/spec/v1/statement.md">Statement
 *     v1</a>
 */
public final class Statement {
  public static final String TYPE = "https://in-toto.io/Statement/v1";

  /** The DSSE payload type of an in-toto statement. */
  public static final String PAYLOAD_TYPE = "application/vnd.in-toto+json";

  /**
   * Our predicate type: the predicate is an ollama-airgap {@code inventory.json}. An identifier (in
   * the project's reverse-DNS namespace), not a URL anyone fetches.
   */
  public static final String INVENTORY_PREDICATE = "https://ollamaairgap.org/inventory/v1";

  private static final ObjectMapper JSON =
      JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private final Map<String, Digest> subjects;
  private final String predicateType;
  private final JsonNode predicate;

  /** A named artifact and its SHA-256. */
  public record Subject(String name, Digest digest) {}

  private Statement(Map<String, Digest> subjects, String predicateType, JsonNode predicate) {
    this.subjects = Collections.unmodifiableMap(subjects);
    this.predicateType = predicateType;
    this.predicate = predicate.deepCopy();
  }

  public static Statement of(List<Subject> subjects, String predicateType, JsonNode predicate) {
    Map<String, Digest> map = new LinkedHashMap<>();
    for (Subject s : subjects) {
      Digest old = map.put(s.name(), s.digest());
      if (old != null && !old.equals(s.digest())) {
        throw new IllegalArgumentException("subject " + s.name() + " listed with two digests");
      }
    }
    return new Statement(map, predicateType, predicate);
  }

  /** Subject name to digest, in the order written. */
  public Map<String, Digest> subjects() {
    return subjects;
  }

  public String predicateType() {
    return predicateType;
  }

  /** The predicate (a copy). */
  public JsonNode predicate() {
    return predicate.deepCopy();
  }

  public byte[] toJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("_type", TYPE);
    ArrayNode list = root.putArray("subject");
    subjects.forEach(
        (name, digest) ->
            list.addObject().put("name", name).putObject("digest").put("sha256", digest.hex()));
    root.put("predicateType", predicateType);
    root.set("predicate", predicate);
    try {
      return JSON.writeValueAsString(root).getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serializes", e);
    }
  }

  /**
   * Parses a verified payload; anything but a Statement v1 of {@code expectedPredicateType} is
   * refused.
   */
  public static Statement parse(byte[] payload, String source, String expectedPredicateType)
      throws SignatureCheckException {
    JsonNode root;
    try {
      root = JSON.readTree(payload);
    } catch (IOException e) {
      throw malformed(source, "its payload is not valid JSON: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw malformed(source, "its payload is not a JSON object");
    }
    JsonNode type = root.get("_type");
    if (type == null || !TYPE.equals(type.asText(null))) {
      throw new SignatureCheckException(
          Reason.UNKNOWN_PAYLOAD_TYPE,
          "signed inventory "
              + source
              + " carries _type "
              + (type == null ? "(none)" : "'" + type.asText() + "'")
              + ", expected '"
              + TYPE
              + "'");
    }
    JsonNode predicateType = root.get("predicateType");
    if (predicateType == null || !expectedPredicateType.equals(predicateType.asText(null))) {
      throw new SignatureCheckException(
          Reason.UNKNOWN_PAYLOAD_TYPE,
          "signed inventory "
              + source
              + " has predicateType "
              + (predicateType == null ? "(none)" : "'" + predicateType.asText() + "'")
              + ", expected '"
              + expectedPredicateType
              + "'");
    }
    JsonNode predicate = root.get("predicate");
    if (predicate == null || !predicate.isObject()) {
      throw malformed(source, "'predicate' is missing or not an object");
    }
    return new Statement(subjects(root.get("subject"), source), expectedPredicateType, predicate);
  }

  private static Map<String, Digest> subjects(JsonNode list, String source)
      throws SignatureCheckException {
    if (list == null || !list.isArray() || list.isEmpty()) {
      throw malformed(source, "'subject' is missing, empty or not an array");
    }
    Map<String, Digest> map = new LinkedHashMap<>();
    for (int i = 0; i < list.size(); i++) {
      JsonNode s = list.get(i);
      String where = "subject[" + i + "]";
      JsonNode name = s.get("name");
      JsonNode sha = s.path("digest").get("sha256");
      if (name == null || !name.isTextual() || sha == null || !sha.isTextual()) {
        throw malformed(source, where + " needs a string 'name' and 'digest.sha256'");
      }
      Digest digest;
      try {
        digest = Digest.parse("sha256:" + sha.asText());
      } catch (StoreException e) {
        throw malformed(source, where + ".digest.sha256: " + e.getMessage());
      }
      if (map.put(name.asText(), digest) != null) {
        throw malformed(source, where + " repeats the name '" + name.asText() + "'");
      }
    }
    return map;
  }

  private static SignatureCheckException malformed(String source, String why) {
    return new SignatureCheckException(
        Reason.MALFORMED, "signed inventory " + source + " is not an in-toto Statement: " + why);
  }
}
