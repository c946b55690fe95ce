package org.ollamaairgap.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ollamaairgap.common.model.Descriptor;
import org.ollamaairgap.common.model.Digest;
import org.ollamaairgap.common.model.Manifest;
import org.ollamaairgap.common.model.ModelName;
import org.ollamaairgap.common.model.StoreException;

/**
 * A small, deterministic Ollama model for tests: a config blob, a weights layer of any size and the
 * usual small layers, plus the manifest bytes exactly as the registry serves them (compact JSON,
 * config fields in registry order). Blobs with the same seed and size are the same blob, so two
 * models can share one.
 */
public final class SyntheticModel {
  public static final String TEMPLATE = "application/vnd.ollama.image.template";
  public static final String PARAMS = "application/vnd.ollama.image.params";
  public static final String LICENSE = "application/vnd.ollama.image.license";

  private final ModelName name;
  private final SyntheticBlob config;
  private final List<Layer> layers;

  /** One layer of the manifest. */
  public record Layer(String mediaType, SyntheticBlob blob) {}

  private SyntheticModel(ModelName name, SyntheticBlob config, List<Layer> layers) {
    this.name = name;
    this.config = config;
    this.layers = List.copyOf(layers);
  }

  /** Starts a model with the given Ollama name. */
  public static Builder named(String name) {
    try {
      return new Builder(ModelName.parse(name));
    } catch (StoreException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /**
   * A typical GGUF-style model: a weights layer of {@code weightBytes} derived from {@code seed}, a
   * template, params and a license.
   */
  public static SyntheticModel typical(String name, long seed, long weightBytes) {
    return named(name)
        .layer(Descriptor.MODEL_MEDIA_TYPE, SyntheticBlob.random(seed, weightBytes))
        .layer(TEMPLATE, SyntheticBlob.text("{{ .Prompt }}"))
        .layer(PARAMS, SyntheticBlob.text("{\"stop\":[\"<|end|>\"]}"))
        .layer(
            LICENSE, SyntheticBlob.text("Synthetic test model " + seed + ", no rights reserved."))
        .build();
  }

  public ModelName name() {
    return name;
  }

  public SyntheticBlob config() {
    return config;
  }

  public List<Layer> layers() {
    return layers;
  }

  /** Every distinct blob of the model, config first. */
  public Map<Digest, SyntheticBlob> blobs() {
    Map<Digest, SyntheticBlob> all = new LinkedHashMap<>();
    all.put(config.digest(), config);
    for (Layer layer : layers) {
      all.putIfAbsent(layer.blob().digest(), layer.blob());
    }
    return all;
  }

  /** The manifest bytes as a registry serves them. */
  public byte[] manifestBytes() {
    StringBuilder json = new StringBuilder();
    json.append("{\"schemaVersion\":2,\"mediaType\":\"").append(Manifest.MEDIA_TYPE).append("\",");
    json.append("\"config\":").append(descriptor(Descriptor.CONFIG_MEDIA_TYPE, config)).append(',');
    json.append("\"layers\":[");
    for (int i = 0; i < layers.size(); i++) {
      if (i > 0) {
        json.append(',');
      }
      json.append(descriptor(layers.get(i).mediaType(), layers.get(i).blob()));
    }
    json.append("]}");
    return json.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The parsed manifest. */
  public Manifest manifest() {
    try {
      return Manifest.parse(manifestBytes());
    } catch (StoreException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String descriptor(String mediaType, SyntheticBlob blob) {
    return "{\"digest\":\""
        + blob.digest()
        + "\",\"mediaType\":\""
        + mediaType
        + "\",\"size\":"
        + blob.size()
        + "}";
  }

  /** Builds a {@link SyntheticModel}. */
  public static final class Builder {
    private final ModelName name;
    private final List<Layer> layers = new ArrayList<>();
    private SyntheticBlob config;

    private Builder(ModelName name) {
      this.name = name;
    }

    public Builder layer(String mediaType, SyntheticBlob blob) {
      layers.add(new Layer(mediaType, blob));
      return this;
    }

    public Builder config(SyntheticBlob config) {
      this.config = config;
      return this;
    }

    public SyntheticModel build() {
      SyntheticBlob cfg = config;
      if (cfg == null) {
        cfg =
            SyntheticBlob.text(
                "{\"model_format\":\"gguf\",\"model_family\":\"synthetic\",\"model_type\":\"1B\","
                    + "\"file_type\":\"Q4_K_M\",\"architecture\":\"amd64\",\"os\":\"linux\","
                    + "\"name\":\""
                    + name
                    + "\"}");
      }
      return new SyntheticModel(name, cfg, layers);
    }
  }
}
