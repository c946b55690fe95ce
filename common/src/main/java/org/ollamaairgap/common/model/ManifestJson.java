package org.ollamaairgap.common.model;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads manifest bytes into a JSON tree so that this check and Ollama cannot see two different
 * manifests in one file. Ollama decodes with Go's {@code encoding/json}, which is lenient where a
 * reader could be fooled: it stops after the first JSON value (trailing data), lets the last of two
 * equal keys win, and matches keys to its fields case-insensitively with Unicode simple folding (so
 * {@code Layers}, {@code LAYERS} and {@code ſize} are {@code layers} and {@code size} to it). Any
 * of these in a manifest is refused: we would check one set of blobs while Ollama loads another.
 */
final class ManifestJson {
  /** The reason every refusal below gives, so that nobody mistakes it for an Ollama limitation. */
  static final String TWO_PARSERS =
      "refused so that two JSON parsers cannot read different values from one file";

  /** Fields of Ollama's {@code manifest.Manifest} struct (manifest/manifest.go). */
  static final List<String> MANIFEST_KEYS =
      List.of("schemaVersion", "mediaType", "config", "layers");

  /** Fields of Ollama's {@code manifest.Layer} struct (manifest/layer.go); Status is json:"-". */
  static final List<String> DESCRIPTOR_KEYS =
      List.of("mediaType", "digest", "size", "from", "name");

  private static final Pattern DUPLICATE =
      Pattern.compile("Duplicate field '(.*)'", Pattern.DOTALL);

  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .build();

  static {
    JSON.getFactory()
        .setStreamReadConstraints(
            StreamReadConstraints.builder()
                .maxNestingDepth(64)
                .maxStringLength(Manifest.MAX_BYTES)
                .build());
  }

  private ManifestJson() {}

  /** The one JSON object in {@code bytes}, strictly UTF-8, with nothing before or after it. */
  static JsonNode read(byte[] bytes) throws StoreException {
    String text = utf8(bytes);
    int start = 0;
    while (start < text.length() && isJsonSpace(text.charAt(start))) {
      start++;
    }
    if (start == text.length()) {
      throw Manifest.invalid("it is empty");
    }
    if (text.charAt(start) != '{') {
      // Also catches a byte-order mark, which Jackson would skip but Go's encoding/json rejects.
      throw Manifest.invalid(
          "not a JSON object: it starts with "
              + describe(text.charAt(start))
              + " at offset "
              + start
              + ", expected '{'");
    }
    JsonNode root = readTree(text);
    if (root == null || !root.isObject()) {
      throw Manifest.invalid("not a JSON object");
    }
    return root;
  }

  /**
   * Refuses a key of {@code object} that Go would take for one of {@code known} without being it.
   *
   * @param where {@code "at the top level"}, {@code "in config"} or {@code "in layers[3]"}
   */
  static void checkKeys(JsonNode object, List<String> known, String where) throws StoreException {
    for (Iterator<String> keys = object.fieldNames(); keys.hasNext(); ) {
      String key = keys.next();
      if (known.contains(key)) {
        continue;
      }
      for (String field : known) {
        if (goEqualFold(key, field)) {
          throw Manifest.invalid(
              "the key '"
                  + Digest.clip(key)
                  + "' "
                  + where
                  + " is not '"
                  + field
                  + "' but Go's encoding/json, which Ollama uses, reads it as '"
                  + field
                  + "' (it matches keys ignoring case, U+017F as 's' and U+212A as 'k'); "
                  + TWO_PARSERS);
        }
      }
    }
  }

  /**
   * Go's {@code strings.EqualFold} against an ASCII field name: equal under Unicode simple case
   * folding. The only non-ASCII code points whose fold orbit holds an ASCII letter are U+017F (long
   * s, with s and S) and U+212A (Kelvin sign, with k and K); U+0130 and U+0131 fold to nothing
   * ASCII in Go, whatever Java's toLowerCase says.
   */
  static boolean goEqualFold(String key, String asciiField) {
    int i = 0;
    for (int f = 0; f < asciiField.length(); f++) {
      if (i >= key.length()) {
        return false;
      }
      int c = key.codePointAt(i);
      i += Character.charCount(c);
      if (fold(c) != fold(asciiField.charAt(f))) {
        return false;
      }
    }
    return i == key.length();
  }

  private static int fold(int c) {
    if (c >= 'a' && c <= 'z') {
      return c - ('a' - 'A');
    }
    if (c == 0x017f) {
      return 'S';
    }
    if (c == 0x212a) {
      return 'K';
    }
    return c;
  }

  /**
   * Reads exactly one JSON value. The parser is ours so that every error can say where it is: limit
   * violations carry no location of their own.
   */
  private static JsonNode readTree(String text) throws StoreException {
    try (JsonParser parser = JSON.createParser(text)) {
      JsonNode root;
      try {
        root = JSON.readTree(parser);
      } catch (JsonProcessingException e) {
        throw notJson(e, parser);
      }
      // Where the first value ends; anything but whitespace after it is more content. Found by
      // scanning, not by reading a token, so that garbage is reported as what it is.
      int next = (int) parser.currentLocation().getCharOffset();
      while (next < text.length() && isJsonSpace(text.charAt(next))) {
        next++;
      }
      if (next < text.length()) {
        throw Manifest.invalid(
            "more content after the JSON object"
                + at(text, next)
                + "; Go's decoder, which Ollama uses, stops at the end of the first value; "
                + TWO_PARSERS);
      }
      return root;
    } catch (java.io.IOException e) {
      // Reading a String does no I/O; only closing the parser could get here.
      throw Manifest.invalid("unreadable: " + e.getMessage());
    }
  }

  private static StoreException notJson(JsonProcessingException e, JsonParser parser) {
    Matcher duplicate = DUPLICATE.matcher(e.getOriginalMessage());
    if (duplicate.matches()) {
      return Manifest.invalid(
          "the key '"
              + Digest.clip(duplicate.group(1))
              + "' appears twice in one object"
              + where(location(e, parser))
              + "; Go's encoding/json, which Ollama uses, takes the last one; "
              + TWO_PARSERS);
    }
    // Jackson names the hidden source inside some messages; that is noise in a log line.
    String message = e.getOriginalMessage().replaceAll("\\[Source: [^;\\]]*; line", "[line");
    return Manifest.invalid("not valid JSON: " + message + where(location(e, parser)));
  }

  private static JsonLocation location(JsonProcessingException e, JsonParser parser) {
    return e.getLocation() != null ? e.getLocation() : parser.currentLocation();
  }

  /** Decodes strictly: Jackson would otherwise guess UTF-16 or UTF-32 from the first bytes. */
  private static String utf8(byte[] bytes) throws StoreException {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult result = decoder.decode(in, out, true);
    if (!result.isError()) {
      result = decoder.flush(out);
    }
    if (result.isError()) {
      throw Manifest.invalid("not UTF-8: invalid byte sequence at offset " + in.position());
    }
    return out.flip().toString();
  }

  private static boolean isJsonSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
  }

  private static String describe(char c) {
    if (c > 0x20 && c < 0x7f) {
      return "'" + c + "'";
    }
    return String.format(Locale.ROOT, "U+%04X", (int) c);
  }

  /** Line and column (from 1) of a char offset, as Jackson counts them. */
  private static String at(String text, int offset) {
    int line = 1;
    int lineStart = 0;
    for (int i = 0; i < offset; i++) {
      if (text.charAt(i) == '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    return " (line " + line + ", column " + (offset - lineStart + 1) + ")";
  }

  private static String where(JsonLocation location) {
    if (location == null || location.getLineNr() < 1) {
      return "";
    }
    return " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
  }
}
