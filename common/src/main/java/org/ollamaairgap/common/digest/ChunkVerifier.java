package org.ollamaairgap.common.digest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongConsumer;
import org.ollamaairgap.common.model.Digest;

/**
 * Verifies blobs against their chunk digests with every chunk an independent task, so one large
 * blob keeps all the threads busy. The chunks of the largest blob are queued first, then the next
 * largest, so the run ends with small blobs rather than with one long blob on one core. A blob's
 * remaining chunks are skipped once one of them is wrong: its verdict is already known.
 *
 * <p>Each chunk is read like any file range ({@link FilePipeline}): from the page cache in the
 * worker's thread when resident, ahead with {@code O_DIRECT} otherwise. The caller has checked the
 * path (a regular file inside the store); this only reads it.
 */
public final class ChunkVerifier {
  private final int parallelism;

  /** One blob to check: its file and the chunk digests it must have. */
  public record Blob(Path file, ChunkedHash expected) {
    public Blob {
      Objects.requireNonNull(file, "file");
      Objects.requireNonNull(expected, "expected");
    }

    public Digest digest() {
      return expected.digest();
    }
  }

  public ChunkVerifier(int parallelism) {
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism must be at least 1, got " + parallelism);
    }
    this.parallelism = parallelism;
  }

  /**
   * Checks every blob; returns one verdict per blob, in the order given. {@code hashed} hears of
   * every piece hashed, from any thread.
   */
  public Map<Digest, ChunkVerdict> verify(List<Blob> blobs, LongConsumer hashed)
      throws InterruptedException {
    Map<Blob, State> states = new LinkedHashMap<>();
    List<Blob> readable = new ArrayList<>();
    for (Blob blob : blobs) {
      State state = new State(blob);
      states.put(blob, state);
      if (state.sizeMatches()) {
        readable.add(blob);
      }
    }
    ExecutorService pool =
        Executors.newFixedThreadPool(
            parallelism,
            r -> {
              Thread t = new Thread(r, "chunk-verify");
              t.setDaemon(true);
              return t;
            });
    try {
      List<Future<?>> tasks = new ArrayList<>();
      for (Task task : schedule(readable)) {
        State state = states.get(task.blob());
        tasks.add(pool.submit(() -> state.check(task.index(), hashed)));
      }
      for (Future<?> task : tasks) {
        try {
          task.get();
        } catch (ExecutionException e) {
          throw new IllegalStateException("a chunk check failed unexpectedly", e.getCause());
        }
      }
    } finally {
      pool.shutdownNow();
    }
    Map<Digest, ChunkVerdict> verdicts = new LinkedHashMap<>();
    for (State state : states.values()) {
      verdicts.put(state.blob.digest(), state.verdict());
    }
    return verdicts;
  }

  /** One chunk to check. */
  record Task(Blob blob, int index) {}

  /** The order chunks are checked in: largest blob first, each blob's chunks in file order. */
  static List<Task> schedule(List<Blob> blobs) {
    List<Blob> largestFirst = new ArrayList<>(blobs);
    largestFirst.sort(Comparator.comparingLong((Blob b) -> b.expected().size()).reversed());
    List<Task> tasks = new ArrayList<>();
    for (Blob blob : largestFirst) {
      long count = ChunkedHash.chunkCount(blob.expected().size(), blob.expected().chunkSize());
      for (int i = 0; i < count; i++) {
        tasks.add(new Task(blob, i));
      }
    }
    return tasks;
  }

  /** One blob's progress: the first problem found wins, the lowest chunk index among mismatches. */
  private static final class State {
    final Blob blob;
    ChunkVerdict problem;
    long actualSize = -1;

    State(Blob blob) {
      this.blob = blob;
    }

    long chunkSize() {
      return blob.expected().chunkSize();
    }

    /** Compares the file's size before any read: a wrong size needs no hashing. */
    boolean sizeMatches() {
      long expected = blob.expected().size();
      try {
        actualSize = Files.size(blob.file());
      } catch (IOException e) {
        record(
            ChunkVerdict.problem(blob.digest(), ChunkVerdict.Status.UNREADABLE, -1, where() + e));
        return false;
      }
      if (actualSize != expected) {
        record(
            ChunkVerdict.problem(
                blob.digest(),
                ChunkVerdict.Status.SIZE_MISMATCH,
                actualSize,
                where() + "has " + actualSize + " bytes, expected " + expected));
        return false;
      }
      return true;
    }

    void check(int index, LongConsumer hashed) {
      if (failed()) {
        return; // the verdict is known; spare the cores for the other blobs
      }
      ChunkedHash expected = blob.expected();
      long offset = expected.offset(index);
      long length = expected.length(index);
      boolean last = index == ChunkedHash.chunkCount(expected.size(), chunkSize()) - 1;
      HashResult result;
      try {
        // The last chunk reads to the end, so bytes appended since the size check are noticed.
        result = Sha256.range(blob.file(), offset, last ? -1 : length, hashed);
      } catch (IOException e) {
        record(
            ChunkVerdict.problem(
                blob.digest(),
                ChunkVerdict.Status.UNREADABLE,
                actualSize,
                where() + "chunk " + index + " at byte " + offset + ": " + e.getMessage()));
        return;
      }
      if (result.size() != length) {
        long had = offset + result.size();
        record(
            ChunkVerdict.problem(
                blob.digest(),
                ChunkVerdict.Status.SIZE_MISMATCH,
                had,
                where()
                    + "changed while read: chunk "
                    + index
                    + " at byte "
                    + offset
                    + " has "
                    + result.size()
                    + " bytes, expected "
                    + length));
        return;
      }
      Digest want = expected.chunks().get(index);
      if (!result.digest().equals(want)) {
        record(
            new ChunkVerdict(
                blob.digest(),
                ChunkVerdict.Status.CHUNK_MISMATCH,
                actualSize,
                index,
                offset,
                want,
                result.digest(),
                where()
                    + "chunk "
                    + index
                    + " (bytes "
                    + offset
                    + "-"
                    + (offset + length - 1)
                    + ") has SHA-256 "
                    + result.digest()
                    + ", the inventory says "
                    + want));
      }
    }

    private String where() {
      return "blob " + blob.digest() + " (" + blob.file() + "): ";
    }

    synchronized boolean failed() {
      return problem != null;
    }

    synchronized void record(ChunkVerdict found) {
      if (problem == null
          || (found.status() == ChunkVerdict.Status.CHUNK_MISMATCH
              && problem.status() == ChunkVerdict.Status.CHUNK_MISMATCH
              && found.chunk() < problem.chunk())) {
        problem = found;
      }
    }

    synchronized ChunkVerdict verdict() {
      return problem != null ? problem : ChunkVerdict.ok(blob.digest(), actualSize);
    }
  }
}
