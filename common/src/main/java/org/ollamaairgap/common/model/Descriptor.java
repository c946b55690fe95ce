package org.ollamaairgap.common.model;

/**
 * A manifest entry: the {@code config} or one of the {@code layers}. {@code from} (provenance
 * written by {@code ollama create}) and {@code name} (the tensor name of tensor layers) are
 * optional and may be null.
 */
public record Descriptor(String mediaType, Digest digest, long size, String from, String name) {
  public static final String CONFIG_MEDIA_TYPE = "application/vnd.docker.container.image.v1+json";
  public static final String MODEL_MEDIA_TYPE = "application/vnd.ollama.image.model";

  public Descriptor {
    if (size < 0) {
      throw new IllegalArgumentException("negative size " + size);
    }
  }

  public Descriptor(String mediaType, Digest digest, long size) {
    this(mediaType, digest, size, null, null);
  }
}
