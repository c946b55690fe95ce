import java.nio.file.Path;
import java.util.List;
import org.ollamaairgap.common.digest.ChunkVerifier;
import org.ollamaairgap.common.digest.ChunkedHash;
import org.ollamaairgap.common.digest.Sha256;

/**
 * Times chunk-parallel verification of one file against chunk digests taken from it first (what a
 * trusted inventory provides), at the parallelism given, with the library the verifier uses. Run by
 * bench/single-blob-bench.sh with {@code java -cp common/target/classes bench/ChunkBench.java}.
 *
 * <p>Prints: {@code chunked PARALLELISM SECONDS OK|FAILED}.
 */
public final class ChunkBench {
  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[0]);
    ChunkedHash expected = Sha256.fileChunked(file, ChunkedHash.DEFAULT_CHUNK_SIZE, n -> {});
    for (int i = 1; i < args.length; i++) {
      int parallelism = Integer.parseInt(args[i]);
      long t0 = System.nanoTime();
      boolean ok =
          new ChunkVerifier(parallelism)
              .verify(List.of(new ChunkVerifier.Blob(file, expected)), n -> {})
              .values()
              .stream()
              .allMatch(v -> v.ok());
      double s = (System.nanoTime() - t0) / 1e9;
      System.out.printf("chunked %d %.3f %s%n", parallelism, s, ok ? "OK" : "FAILED");
    }
  }
}
