package org.ollamaairgap.common.verify;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import org.ollamaairgap.common.model.Digest;

/**
 * The outcome for one manifest.
 *
 * @param name the full model name
 * @param display the short name {@code ollama list} shows
 * @param manifestDigest the SHA-256 of the manifest file (the model ID), or null when unreadable;
 *     {@code sha256:<hex>} in JSON
 * @param size total bytes of its distinct blobs, or -1 when the manifest is invalid
 * @param blobs how many distinct blobs it references
 * @param ok whether the manifest and all its blobs passed
 */
public record ModelResult(
    String name,
    String display,
    @JsonSerialize(using = ToStringSerializer.class) Digest manifestDigest,
    long size,
    int blobs,
    boolean ok) {}
