package org.ollamaairgap.stager.registry;

import java.util.ArrayList;
import java.util.List;

/** How a blob is cut into Range parts. */
final class PartPlan {
  /** Ollama's part size rule: total/16 clamped to [100 MB, 1000 MB]. */
  static final long MIN_AUTO_PART = 100_000_000L;

  static final long MAX_AUTO_PART = 1_000_000_000L;

  private PartPlan() {}

  /**
   * Cuts a blob into parts: {@code partSize} when above 0, else Ollama's rule; never more than
   * {@link ResumeState#MAX_PARTS}, so a tiny part size grows for a huge blob.
   */
  static List<ResumeState.Part> of(long size, long partSize) {
    long ps = partSize > 0 ? partSize : Math.min(MAX_AUTO_PART, Math.max(MIN_AUTO_PART, size / 16));
    ps = Math.max(ps, (size + ResumeState.MAX_PARTS - 1) / ResumeState.MAX_PARTS);
    List<ResumeState.Part> parts = new ArrayList<>();
    for (long off = 0; off < size; off += ps) {
      parts.add(new ResumeState.Part(off, Math.min(ps, size - off), 0));
    }
    return parts;
  }
}
