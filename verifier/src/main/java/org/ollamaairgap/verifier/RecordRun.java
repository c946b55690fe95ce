package org.ollamaairgap.verifier;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.ollamaairgap.app.output.Formats;
import org.ollamaairgap.common.record.RecordCollector;
import org.ollamaairgap.common.record.RecordFile;
import org.ollamaairgap.common.record.RecordPolicy;
import org.ollamaairgap.common.record.RecordSession;
import org.ollamaairgap.common.record.StoreIdentity;
import org.ollamaairgap.common.verify.BlobShortcut;
import org.ollamaairgap.common.verify.VerificationReport;

/**
 * The verification record around one check: read at start, consulted per blob, written after a
 * clean full check. Nothing here changes the verdict: a record that cannot be read, used or written
 * is a WARNING line and every blob is hashed, so the gate never depends on the record directory.
 */
final class RecordRun {
  private static final String OPTION = RecordOptions.RECORD_DIR.names();

  private final RecordFile file;
  private final RecordSession session;
  private final PrintStream out;

  private RecordRun(RecordFile file, RecordSession session, PrintStream out) {
    this.file = file;
    this.session = session;
    this.out = out;
  }

  /**
   * The record for this check, or null when there is none to use (no {@code --record-dir}, size
   * mode, or a directory that is missing or not writable, said in a WARNING line).
   */
  static RecordRun open(Plan plan, Duration reverifyAfter, Clock clock, PrintStream out) {
    Path dir = plan.recordDir();
    if (dir == null) {
      return null;
    }
    if (!plan.options().hash()) {
      out.println(
          "verification record not used: --mode size hashes nothing, so there is nothing to"
              + " record; "
              + OPTION
              + " applies to --mode full");
      return null;
    }
    String problem =
        !Files.isDirectory(dir)
            ? "does not exist"
            : !Files.isWritable(dir) ? "is not writable by this user" : null;
    if (problem != null) {
      out.println(
          "WARNING verification record directory "
              + dir
              + " "
              + problem
              + ": every blob is hashed and no record is kept (the verdict is not affected);"
              + " create it writable for this user (a node-local hostPath or a small volume), or"
              + " unset "
              + OPTION);
      return null;
    }
    StoreIdentity store;
    try {
      store = StoreIdentity.of(plan.layout().root());
    } catch (IOException e) {
      return null; // no store to look at: the check itself says so
    }
    RecordFile file = new RecordFile(dir, store);
    RecordFile.Loaded loaded = file.load();
    out.println(loaded.warning() != null ? "WARNING " + loaded.warning() : loaded.note());
    RecordPolicy policy = new RecordPolicy(loaded.record(), store, reverifyAfter, clock);
    RecordCollector collector = new RecordCollector(store, clock, RecordCollector.DEFAULT_SETTLE);
    return new RecordRun(file, new RecordSession(policy, collector, clock, out::println), out);
  }

  BlobShortcut shortcut() {
    return session;
  }

  RecordSession.Counts counts() {
    return session.counts();
  }

  /** Writes the next record after a clean check; a check with errors keeps the previous one. */
  void finish(VerificationReport report) {
    if (!report.ok()) {
      out.println(
          "verification record "
              + file.path()
              + " not updated: this check found errors; the previous record is kept as it was");
      return;
    }
    var next = session.next();
    try {
      file.write(next);
      out.println(
          "verification record written to "
              + file.path()
              + ": "
              + Formats.count(next.blobs().size(), "blob"));
    } catch (IOException e) {
      out.println(
          "WARNING cannot write the verification record "
              + file.path()
              + " ("
              + e.getMessage()
              + "): the next start hashes every blob again (the verdict is not affected); check"
              + " that "
              + OPTION
              + " is writable and has space");
    }
  }

  /** For the last line: {@code 3 blobs, 1.2 GiB accepted from the record}. */
  String acceptedPart() {
    RecordSession.Counts counts = session.counts();
    return Formats.count(counts.acceptedBlobs(), "blob")
        + ", "
        + Formats.bytes(counts.acceptedBytes())
        + " accepted from the record";
  }
}
