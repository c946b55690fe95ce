package org.ollamaairgap.common.verify;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ollamaairgap.common.model.Descriptor;
import org.ollamaairgap.common.model.Digest;
import org.ollamaairgap.common.store.Spelling;
import org.ollamaairgap.common.store.StoreLayout;

/**
 * Config blobs as {@code /api/tags} reads them. Ollama decodes the config into its {@code ConfigV2}
 * with Go's {@code encoding/json} while listing models, and a model whose config fails to decode is
 * left out of the list with only a log line: no client is offered it. Go's decoding fails on a
 * first JSON value that is not an object (or {@code null}) and on a known field, matched
 * case-insensitively, whose value has the wrong type; it reads nothing after the first value and
 * ignores unknown fields. Each distinct config blob that passed its own check is read once.
 */
final class ConfigCheck {
  /** Far above any real config (a few hundred bytes); Ollama reads whole files, we need not. */
  private static final long MAX_BYTES = 1 << 20;

  private static final ObjectMapper JSON =
      new ObjectMapper().disable(JsonParser.Feature.AUTO_CLOSE_SOURCE);

  private enum Type {
    STRING,
    STRINGS,
    INT,
    DRAFT
  }

  /** ConfigV2's fields (types/model/config.go) and what Go accepts for each. */
  private static final Map<String, Type> FIELDS = new LinkedHashMap<>();

  /** ConfigV2.Draft's fields, all strings. */
  private static final List<String> DRAFT_FIELDS =
      List.of("model_format", "architecture", "tensor_prefix", "config");

  static {
    for (String s :
        List.of(
            "model_format",
            "model_family",
            "model_type",
            "file_type",
            "renderer",
            "parser",
            "requires",
            "remote_host",
            "remote_model",
            "base_name",
            "architecture",
            "os")) {
      FIELDS.put(s, Type.STRING);
    }
    FIELDS.put("model_families", Type.STRINGS);
    FIELDS.put("capabilities", Type.STRINGS);
    FIELDS.put("context_length", Type.INT);
    FIELDS.put("embedding_length", Type.INT);
    FIELDS.put("draft", Type.DRAFT);
  }

  private final StoreLayout layout;
  private final Findings findings;

  ConfigCheck(StoreLayout layout, Findings findings) {
    this.layout = layout;
    this.findings = findings;
  }

  /** Checks the config of every valid manifest whose config blob verified. */
  void check(List<ManifestEntry> entries, Map<Digest, BlobCheck> checks) {
    Map<Digest, String> problems = new LinkedHashMap<>();
    for (ManifestEntry entry : entries) {
      if (entry.manifest() == null) {
        continue;
      }
      Descriptor config = entry.manifest().config();
      BlobCheck check = checks.get(config.digest());
      if (check == null || !check.ok()) {
        continue; // its own finding says what is wrong with the blob
      }
      String problem = problems.computeIfAbsent(config.digest(), this::problem);
      if (!problem.isEmpty()) {
        String model = entry.display();
        findings.add(
            new Finding(
                FindingKind.CONFIG_UNREADABLE,
                model,
                config.digest().toString(),
                layout.blob(config.digest()).toString(),
                "a JSON object Ollama can decode",
                null,
                "the config blob of "
                    + model
                    + " "
                    + problem
                    + ": Ollama leaves the model out of /api/tags without an error, so no client"
                    + " (Open WebUI) offers it",
                "stage " + model + " again from a registry that serves a valid config"));
      }
    }
  }

  /** What Go's decoder would fail on, or "" when it decodes. */
  private String problem(Digest digest) {
    try {
      long size = Files.size(layout.blob(digest));
      if (size > MAX_BYTES) {
        return "has " + size + " bytes, more than the " + MAX_BYTES + " a config is checked up to";
      }
      JsonNode value;
      try (InputStream in = Files.newInputStream(layout.blob(digest));
          JsonParser parser = JSON.createParser(in)) {
        value = parser.readValueAsTree(); // the first value only, as Go's Decoder reads it
      }
      if (value == null) {
        return "is empty";
      }
      if (value.isNull()) {
        return "";
      }
      if (!value.isObject()) {
        return "is a JSON "
            + value.getNodeType().name().toLowerCase(java.util.Locale.ROOT)
            + ", not an object";
      }
      return fields(value, FIELDS, "");
    } catch (JsonProcessingException e) {
      return "is not valid JSON (" + e.getOriginalMessage() + ")";
    } catch (IOException e) {
      return "cannot be read (" + ManifestWalk.why(e) + ")";
    }
  }

  private static String fields(JsonNode object, Map<String, Type> known, String prefix) {
    for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      for (Map.Entry<String, Type> k : known.entrySet()) {
        if (Spelling.sameFold(field.getKey(), k.getKey())) {
          String wrong = wrongType(field.getValue(), k.getValue());
          if (wrong != null) {
            return "has \"" + prefix + field.getKey() + "\" " + wrong;
          }
        }
      }
    }
    return "";
  }

  private static String wrongType(JsonNode value, Type type) {
    if (value.isNull()) {
      return null; // Go leaves the field as it was
    }
    switch (type) {
      case STRING:
        return value.isTextual() ? null : "as a JSON " + kind(value) + ", Ollama expects a string";
      case STRINGS:
        if (!value.isArray()) {
          return "as a JSON " + kind(value) + ", Ollama expects a list of strings";
        }
        for (JsonNode element : value) {
          if (!element.isTextual() && !element.isNull()) {
            return "holding a JSON " + kind(element) + ", Ollama expects strings only";
          }
        }
        return null;
      case INT:
        return value.isIntegralNumber() && value.canConvertToLong()
            ? null
            : "as " + value + ", Ollama expects a whole number";
      case DRAFT:
        if (!value.isObject()) {
          return "as a JSON " + kind(value) + ", Ollama expects an object";
        }
        Map<String, Type> draft = new LinkedHashMap<>();
        DRAFT_FIELDS.forEach(f -> draft.put(f, Type.STRING));
        String inner = fields(value, draft, "");
        return inner.isEmpty() ? null : "with a field that " + inner.substring("has ".length());
    }
    return null;
  }

  private static String kind(JsonNode value) {
    return value.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
  }
}
