package org.ollamaairgap.common.verify;

/**
 * Progress events of a verification, for the app to render (the engine does no logging). Called
 * from the hashing threads: implementations must be thread-safe and cheap.
 */
public interface VerifyListener {
  /** Nothing is reported. */
  VerifyListener NONE = new VerifyListener() {};

  /** The store was walked; hashing starts. */
  default void planned(VerificationPlan plan) {}

  /** {@code bytes} more bytes were read and hashed (or, in size mode, checked). */
  default void bytesChecked(long bytes) {}

  /** One distinct blob is done. */
  default void blobChecked(BlobCheck check) {}

  /**
   * A problem was found; one of the first {@link VerificationReport#SHOWN_PER_KIND} of its kind,
   * which are also kept in the final report.
   */
  default void found(Finding finding) {}

  /**
   * A problem was found after {@link VerificationReport#SHOWN_PER_KIND} of its kind: only counted
   * in the final report ({@link VerificationReport#counts()}), so a listener that wants the full
   * list (the JSON report file) must keep it itself, outside the heap.
   */
  default void foundBeyondLimit(Finding finding) {}

  /** This listener, then {@code other}, for every event. */
  default VerifyListener and(VerifyListener other) {
    VerifyListener first = this;
    return new VerifyListener() {
      @Override
      public void planned(VerificationPlan plan) {
        first.planned(plan);
        other.planned(plan);
      }

      @Override
      public void bytesChecked(long bytes) {
        first.bytesChecked(bytes);
        other.bytesChecked(bytes);
      }

      @Override
      public void blobChecked(BlobCheck check) {
        first.blobChecked(check);
        other.blobChecked(check);
      }

      @Override
      public void found(Finding finding) {
        first.found(finding);
        other.found(finding);
      }

      @Override
      public void foundBeyondLimit(Finding finding) {
        first.foundBeyondLimit(finding);
        other.foundBeyondLimit(finding);
      }
    };
  }
}
