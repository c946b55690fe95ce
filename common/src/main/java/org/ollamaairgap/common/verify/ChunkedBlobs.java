package org.ollamaairgap.common.verify;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import org.ollamaairgap.common.digest.ChunkVerdict;
import org.ollamaairgap.common.digest.ChunkVerifier;
import org.ollamaairgap.common.digest.ChunkedHash;
import org.ollamaairgap.common.model.Digest;
import org.ollamaairgap.common.store.StoreLayout;

/**
 * The blobs a trusted inventory describes, checked against their chunk digests with every chunk an
 * independent task, so that one large blob keeps every core busy. Presence, file type, place and
 * size are checked first exactly as for a blob hashed whole; only a blob that passes is read.
 */
final class ChunkedBlobs {
  private final StoreLayout layout;
  private final Map<Digest, ChunkedHash> described;
  private final int parallelism;

  /** A blob's check, and the finding for it when chunk digests are what failed. */
  record Outcome(BlobCheck check, Finding chunkFinding) {}

  ChunkedBlobs(StoreLayout layout, Map<Digest, ChunkedHash> described, int parallelism) {
    this.layout = layout;
    this.described = described;
    this.parallelism = parallelism;
  }

  /**
   * Whether the inventory describes this blob as the manifests do: same digest, same size, and the
   * manifests agree on it. Anything else is hashed whole.
   */
  boolean describes(BlobReference ref) {
    ChunkedHash hash = described.get(ref.digest);
    return hash != null && hash.size() == ref.size && ref.disagreeing.isEmpty();
  }

  /** Checks these blobs; {@code hashed} hears of every piece hashed, from any thread. */
  Map<Digest, Outcome> check(List<BlobReference> refs, BlobChecker checker, LongConsumer hashed)
      throws InterruptedException {
    Map<Digest, Outcome> outcomes = new LinkedHashMap<>();
    List<ChunkVerifier.Blob> readable = new ArrayList<>();
    for (BlobReference ref : refs) {
      BlobCheck found = checker.check(ref.digest, ref.size, false, n -> {});
      if (found.ok()) {
        readable.add(new ChunkVerifier.Blob(layout.blob(ref.digest), described.get(ref.digest)));
      } else {
        outcomes.put(ref.digest, new Outcome(found, null));
      }
    }
    Map<Digest, ChunkVerdict> verdicts = new ChunkVerifier(parallelism).verify(readable, hashed);
    for (BlobReference ref : refs) {
      ChunkVerdict verdict = verdicts.get(ref.digest);
      if (verdict != null) {
        outcomes.put(ref.digest, outcome(ref, verdict));
      }
    }
    return outcomes;
  }

  private Outcome outcome(BlobReference ref, ChunkVerdict v) {
    return switch (v.status()) {
      case OK ->
          // Every chunk has the digest computed from bytes whose whole SHA-256 was the name.
          new Outcome(
              new BlobCheck(ref.digest, ref.size, BlobStatus.OK, ref.size, ref.digest, ""), null);
      case SIZE_MISMATCH ->
          new Outcome(
              new BlobCheck(
                  ref.digest, ref.size, BlobStatus.SIZE_MISMATCH, v.actualSize(), null, v.detail()),
              null);
      case UNREADABLE ->
          new Outcome(
              new BlobCheck(
                  ref.digest, ref.size, BlobStatus.UNREADABLE, v.actualSize(), null, v.detail()),
              null);
      case CHUNK_MISMATCH -> chunkMismatch(ref, v);
    };
  }

  private Outcome chunkMismatch(BlobReference ref, ChunkVerdict v) {
    String path = layout.blob(ref.digest).toString();
    String models = String.join(",", ref.models);
    Finding finding =
        new Finding(
            FindingKind.BLOB_DIGEST_MISMATCH,
            models,
            ref.digest.toString(),
            path,
            "chunk " + v.chunk() + " at byte " + v.offset() + " sha256=" + v.expected().hex(),
            "sha256=" + v.actual().hex(),
            "blob content is corrupt: " + v.detail(),
            "delete " + path + " and stage " + models + " again on the writable side");
    BlobCheck check =
        new BlobCheck(
            ref.digest, ref.size, BlobStatus.DIGEST_MISMATCH, v.actualSize(), null, v.detail());
    return new Outcome(check, finding);
  }
}
