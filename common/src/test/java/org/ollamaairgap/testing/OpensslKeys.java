package org.ollamaairgap.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Ed25519 key files made by Debian's real {@code openssl}, as an operator makes them. */
public final class OpensslKeys {
  /** The private key ({@code NAME.pem}, PKCS#8) and the public key ({@code NAME.pub.pem}). */
  public record Pair(Path key, Path pub) {}

  private OpensslKeys() {}

  /**
   * {@code openssl genpkey -algorithm ed25519} and {@code openssl pkey -pubout} into {@code dir}.
   */
  public static Pair generate(Path dir, String name) throws IOException, InterruptedException {
    Path key = dir.resolve(name + ".pem");
    Path pub = dir.resolve(name + ".pub.pem");
    run(dir, "genpkey", "-algorithm", "ed25519", "-out", key.toString());
    run(dir, "pkey", "-in", key.toString(), "-pubout", "-out", pub.toString());
    return new Pair(key, pub);
  }

  private static void run(Path dir, String... args) throws IOException, InterruptedException {
    Path out = Files.createTempFile(dir, "openssl", ".out");
    Process p;
    try {
      p =
          new ProcessBuilder(
                  new java.util.ArrayList<>(
                      java.util.stream.Stream.concat(
                              List.of("openssl").stream(), List.of(args).stream())
                          .toList()))
              .redirectErrorStream(true)
              .redirectOutput(out.toFile())
              .start();
    } catch (IOException e) {
      throw new IllegalStateException(
          "openssl is not installed: run apt-get install -y openssl (.ci/run does this)", e);
    }
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("openssl " + String.join(" ", args) + " hung");
    }
    if (p.exitValue() != 0) {
      throw new AssertionError(
          "openssl "
              + String.join(" ", args)
              + " failed: "
              + Files.readString(out, StandardCharsets.UTF_8));
    }
    Files.delete(out);
  }
}
