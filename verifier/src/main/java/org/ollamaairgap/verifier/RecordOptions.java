package org.ollamaairgap.verifier;

import java.nio.file.Path;
import java.time.Duration;
import org.ollamaairgap.app.UsageException;
import org.ollamaairgap.app.cli.Setting;
import org.ollamaairgap.common.store.StoreLayout;

/** The options of the verification record: where it is kept and how long a hash in it counts. */
final class RecordOptions {
  static final Setting RECORD_DIR =
      Setting.value(
          "--record-dir",
          "verifier.record-dir",
          "VERIFIER_RECORD_DIR",
          "DIR",
          "Keep a record of what was hashed in DIR (node-local, never inside the models"
              + " directory); on the next start unchanged blobs hashed recently are accepted"
              + " from it instead of read again. The directory must exist and be writable.");
  static final Setting REVERIFY_AFTER =
      Setting.value(
          "--reverify-after",
          "verifier.reverify-after",
          "VERIFIER_REVERIFY_AFTER",
          "DURATION",
          "A blob the record says was hashed longer ago than this is hashed again (e.g. 7d, 12h;"
              + " 0s hashes every blob).");

  private RecordOptions() {}

  /** The record directory in force, or null; refused (exit 2) inside the store or when bad. */
  static Path recordDir(VerifierConfig config, StoreLayout layout) throws UsageException {
    Duration reverifyAfter = config.reverifyAfter();
    if (reverifyAfter.isNegative()) {
      throw new UsageException(
          REVERIFY_AFTER.names() + " must be 0s or more, not " + reverifyAfter);
    }
    Path dir = config.recordDir().map(p -> p.toAbsolutePath().normalize()).orElse(null);
    if (dir != null && Plan.inside(dir, layout.root())) {
      throw new UsageException(
          "--record-dir "
              + dir
              + " is inside the models directory "
              + layout.root()
              + ": the verifier never writes into the store; give "
              + RECORD_DIR.names()
              + " a directory outside it, such as a node-local hostPath or a small volume");
    }
    return dir;
  }
}
