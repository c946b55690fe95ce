package org.ollamaairgap.common.verify;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.ollamaairgap.common.digest.ChunkedHash;
import org.ollamaairgap.common.model.Digest;
import org.ollamaairgap.common.store.StoreLayout;

/**
 * Checks each distinct referenced blob once, in parallel, the largest first, and turns every
 * problem into a finding naming the models that use the blob. Blobs a trusted inventory describes
 * are checked chunk by chunk ({@link ChunkedBlobs}), the others hashed whole.
 */
final class BlobVerification {
  private final StoreLayout layout;
  private final StoreVerifier.Options options;
  private final VerifyListener listener;
  private final Findings findings;
  private final BlobShortcut shortcut;
  private final LongAdder checked = new LongAdder();

  BlobVerification(
      StoreLayout layout,
      StoreVerifier.Options options,
      VerifyListener listener,
      Findings findings,
      BlobShortcut shortcut) {
    this.layout = layout;
    this.options = options;
    this.listener = listener;
    this.findings = findings;
    this.shortcut = shortcut;
  }

  /** Bytes hashed (full) or accounted for by size (size mode) so far. */
  long bytesChecked() {
    return checked.sum();
  }

  /**
   * Checks every referenced blob. With hashing, the blobs {@code described} gives chunk digests for
   * (a trusted inventory) are verified chunk by chunk across all threads first, then the others are
   * hashed whole, a blob per thread.
   */
  Map<Digest, BlobCheck> checkAll(
      Map<Digest, BlobReference> references, Map<Digest, ChunkedHash> described)
      throws InterruptedException {
    List<BlobReference> order = new ArrayList<>(references.values());
    // Largest first, so that the long hashes overlap and no big blob starts last.
    order.sort(Comparator.comparingLong((BlobReference r) -> r.size).reversed());
    BlobChecker checker = new BlobChecker(layout);
    ChunkedBlobs chunked = new ChunkedBlobs(layout, described, options.parallelism());
    List<BlobReference> byChunks = new ArrayList<>();
    List<BlobReference> whole = new ArrayList<>();
    for (BlobReference ref : order) {
      (options.hash() && chunked.describes(ref) ? byChunks : whole).add(ref);
    }
    Map<Digest, BlobCheck> checks = new LinkedHashMap<>();
    Map<Digest, ChunkedBlobs.Outcome> outcomes = chunked.check(byChunks, checker, this::hashed);
    for (BlobReference ref : byChunks) {
      ChunkedBlobs.Outcome outcome = outcomes.get(ref.digest);
      checks.put(ref.digest, report(ref, outcome.check(), outcome.chunkFinding()));
    }
    checks.putAll(checkWhole(whole, checker));
    return checks;
  }

  private void hashed(long n) {
    checked.add(n);
    listener.bytesChecked(n);
  }

  private Map<Digest, BlobCheck> checkWhole(List<BlobReference> order, BlobChecker checker)
      throws InterruptedException {
    AtomicInteger threads = new AtomicInteger();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            options.parallelism(),
            r -> {
              Thread t = new Thread(r, "verify-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    Map<Digest, Future<BlobCheck>> futures = new LinkedHashMap<>();
    try {
      for (BlobReference ref : order) {
        futures.put(ref.digest, pool.submit(() -> checkOne(checker, ref)));
      }
      Map<Digest, BlobCheck> checks = new LinkedHashMap<>();
      for (Map.Entry<Digest, Future<BlobCheck>> f : futures.entrySet()) {
        try {
          checks.put(f.getKey(), f.getValue().get());
        } catch (ExecutionException e) {
          throw new IllegalStateException("checking " + f.getKey() + " failed", e.getCause());
        }
      }
      return checks;
    } finally {
      pool.shutdownNow();
    }
  }

  private BlobCheck checkOne(BlobChecker checker, BlobReference ref) {
    BlobShortcut.Attempt attempt =
        options.hash()
            ? shortcut.start(ref.digest, ref.size, layout.blob(ref.digest))
            : BlobShortcut.Attempt.HASH;
    BlobCheck check =
        checker.check(ref.digest, ref.size, options.hash() && !attempt.accepted(), this::hashed);
    if (!options.hash() && check.ok()) {
      hashed(ref.size);
    }
    attempt.done(check);
    return report(ref, check, null);
  }

  /** Passes the check on and turns its problems into findings; {@code chunkFinding} wins. */
  private BlobCheck report(BlobReference ref, BlobCheck check, Finding chunkFinding) {
    listener.blobChecked(check);
    String models = String.join(",", ref.models);
    if (!check.ok()) {
      findings.add(
          chunkFinding != null ? chunkFinding : BlobFindings.of(check, models, layout), ref.models);
    }
    if (!ref.disagreeing.isEmpty()) {
      List<String> concerned = new ArrayList<>(ref.models);
      concerned.addAll(ref.disagreeingModels);
      findings.add(
          new Finding(
              FindingKind.BLOB_SIZE_MISMATCH,
              String.join(",", concerned),
              ref.digest.toString(),
              layout.blob(ref.digest).toString(),
              "one size",
              "manifests disagree",
              "manifests disagree on the size of "
                  + ref.digest
                  + ": "
                  + models
                  + " say "
                  + ref.size
                  + ", "
                  + String.join(", ", ref.disagreeing),
              "stage the models again; one of the manifests is wrong"),
          concerned);
    }
    return check;
  }
}
