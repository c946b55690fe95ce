package org.ollamaairgap.common.digest;

import org.ollamaairgap.common.model.Digest;

/** What hashing a file or stream found: its SHA-256 and its length in bytes. */
public record HashResult(Digest digest, long size) {}
