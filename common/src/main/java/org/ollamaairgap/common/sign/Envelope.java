package org.ollamaairgap.common.sign;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.ollamaairgap.common.sign.SignatureCheckException.Reason;

/**
 * A DSSE envelope: {@code {"payloadType", "payload" (base64), "signatures": [{"keyid", "sig"
 * (base64)}]}}. Parsing checks the shape only; {@link EnvelopeVerifier} decides whether to trust
 * it.
 *
 * @see <a href="https://github.com/secure-systems-lab/dsse/blob/master/envelope.md">envelope.md</a>
 */
public final class Envelope {
  /** Envelopes carry one inventory; far bigger than any store's inventory means the wrong file. */
  public static final int MAX_BYTES = 64 * 1024 * 1024;

  private static final ObjectMapper JSON =
      JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private final String payloadType;
  private final byte[] payload;
  private final List<Sig> signatures;

  /** One signature: the signing key's id (a hint, not trusted) and the Ed25519 signature. */
  public record Sig(String keyId, byte[] sig) {
    public Sig {
      sig = sig.clone();
    }

    @Override
    public byte[] sig() {
      return sig.clone();
    }
  }

  public Envelope(String payloadType, byte[] payload, List<Sig> signatures) {
    this.payloadType = payloadType;
    this.payload = payload.clone();
    this.signatures = List.copyOf(signatures);
  }

  public String payloadType() {
    return payloadType;
  }

  /** The payload bytes, exactly as signed (a copy). */
  public byte[] payload() {
    return payload.clone();
  }

  public List<Sig> signatures() {
    return signatures;
  }

  /** The bytes that are signed: {@link Pae#encode} of the type and payload. */
  public byte[] pae() {
    return Pae.encode(payloadType, payload);
  }

  /** The envelope as JSON, standard base64 with padding, one line and a newline. */
  public byte[] toJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("payloadType", payloadType);
    root.put("payload", Base64.getEncoder().encodeToString(payload));
    ArrayNode sigs = root.putArray("signatures");
    for (Sig s : signatures) {
      ObjectNode o = sigs.addObject();
      o.put("keyid", s.keyId());
      o.put("sig", Base64.getEncoder().encodeToString(s.sig()));
    }
    try {
      return (JSON.writeValueAsString(root) + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serializes", e);
    }
  }

  /** Parses an envelope file's bytes; {@code source} names the file in messages. */
  public static Envelope parse(byte[] json, String source) throws SignatureCheckException {
    if (json.length > MAX_BYTES) {
      throw malformed(source, "it is " + json.length + " bytes, more than " + MAX_BYTES);
    }
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw malformed(source, "not valid JSON: " + e.getOriginalMessage());
    } catch (java.io.IOException e) {
      throw malformed(source, "unreadable: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw malformed(source, "not a JSON object");
    }
    String type = text(root, "payloadType", source);
    byte[] payload = base64(text(root, "payload", source), "payload", source);
    JsonNode sigs = root.get("signatures");
    if (sigs == null || !sigs.isArray()) {
      throw malformed(source, "'signatures' is missing or not an array");
    }
    List<Sig> list = new ArrayList<>();
    for (int i = 0; i < sigs.size(); i++) {
      JsonNode s = sigs.get(i);
      String where = "signatures[" + i + "]";
      if (!s.isObject()) {
        throw malformed(source, where + " is not an object");
      }
      JsonNode keyId = s.get("keyid");
      if (keyId != null && !keyId.isTextual() && !keyId.isNull()) {
        throw malformed(source, where + ".keyid is not a string");
      }
      String id = keyId == null || keyId.isNull() ? "" : keyId.asText();
      list.add(new Sig(id, base64(text(s, "sig", source), where + ".sig", source)));
    }
    return new Envelope(type, payload, list);
  }

  private static String text(JsonNode node, String field, String source)
      throws SignatureCheckException {
    JsonNode value = node.get(field);
    if (value == null || !value.isTextual()) {
      throw malformed(source, "'" + field + "' is missing or not a string");
    }
    return value.asText();
  }

  /** DSSE allows standard or URL-safe base64, padded or not. */
  private static byte[] base64(String text, String field, String source)
      throws SignatureCheckException {
    try {
      boolean urlSafe = text.indexOf('-') >= 0 || text.indexOf('_') >= 0;
      return (urlSafe ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(text);
    } catch (IllegalArgumentException e) {
      throw malformed(source, "'" + field + "' is not base64: " + e.getMessage());
    }
  }

  private static SignatureCheckException malformed(String source, String why) {
    return new SignatureCheckException(
        Reason.MALFORMED, "signed inventory " + source + " is not a DSSE envelope: " + why);
  }
}
