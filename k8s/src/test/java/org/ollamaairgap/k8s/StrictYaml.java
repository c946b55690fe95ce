package org.ollamaairgap.k8s;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * YAML reading for the checks, and a mapper that turns YAML into fabric8's typed Kubernetes model
 * while rejecting every field the model does not know.
 */
final class StrictYaml {

  /** Writes values files for helm. */
  static final ObjectMapper JSON = new ObjectMapper();

  /** Plain YAML to trees. */
  static final ObjectMapper YAML = new YAMLMapper();

  /**
   * fabric8's model classes catch unknown fields in an {@code additionalProperties} map through
   * {@code @JsonAnySetter}, so FAIL_ON_UNKNOWN_PROPERTIES alone never fires. Ignoring that
   * annotation on fabric8 classes makes an unknown field a parse error that names it.
   */
  static final ObjectMapper STRICT =
      new ObjectMapper(new YAMLFactory())
          .setAnnotationIntrospector(
              new JacksonAnnotationIntrospector() {
                private static final long serialVersionUID = 1L;

                @Override
                public Boolean hasAnySetter(Annotated annotated) {
                  if (annotated.getRawType() != null && isFabric8(annotated)) {
                    return Boolean.FALSE;
                  }
                  return super.hasAnySetter(annotated);
                }

                private boolean isFabric8(Annotated annotated) {
                  String owner =
                      annotated.getAnnotated() instanceof java.lang.reflect.Member member
                          ? member.getDeclaringClass().getName()
                          : annotated.getRawType().getName();
                  return owner.startsWith("io.fabric8.");
                }
              })
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);

  private StrictYaml() {}

  static JsonNode read(Path file) {
    try {
      JsonNode node = YAML.readTree(Files.readString(file));
      return node == null ? MissingNode.getInstance() : node;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read YAML " + file, e);
    }
  }

  /** Every non-empty document of a multi-document YAML stream, such as helm template's output. */
  static List<JsonNode> documents(String yaml) {
    List<JsonNode> documents = new ArrayList<>();
    try (var parser = YAML.getFactory().createParser(yaml)) {
      var iterator = YAML.readValues(parser, JsonNode.class);
      while (iterator.hasNext()) {
        JsonNode node = iterator.next();
        if (node != null && !node.isNull() && !node.isMissingNode() && !node.isEmpty()) {
          documents.add(node);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("helm output is not YAML", e);
    }
    return documents;
  }

  /** Parses a tree into a fabric8 type; unknown fields fail with Jackson's path to them. */
  static <T> T typed(JsonNode node, Class<T> type) {
    try {
      return STRICT.treeToValue(node, type);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "not a valid " + type.getSimpleName() + ": " + e.getMessage(), e);
    }
  }
}
