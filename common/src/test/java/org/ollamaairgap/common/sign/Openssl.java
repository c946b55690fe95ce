package org.ollamaairgap.common.sign;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs Debian's real {@code openssl} for the interoperability tests (not a fake). */
final class Openssl {
  /** What a run printed and how it ended. */
  record Result(int exit, String output) {}

  private final Path dir;

  Openssl(Path dir) {
    this.dir = dir;
  }

  Result run(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add("openssl");
    command.addAll(List.of(args));
    Path out = Files.createTempFile(dir, "openssl", ".out");
    Process p;
    try {
      p =
          new ProcessBuilder(command)
              .directory(dir.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
              .redirectErrorStream(true)
              .redirectOutput(out.toFile())
              .start();
    } catch (IOException e) {
      throw new IllegalStateException(
          "openssl is not installed: run apt-get install -y openssl (the repository's .ci/run"
              + " does this)",
          e);
    }
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("openssl " + String.join(" ", args) + " hung");
    }
    return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
  }

  /** Runs and fails the test unless openssl exits 0. */
  String ok(String... args) throws IOException, InterruptedException {
    Result r = run(args);
    if (r.exit() != 0) {
      throw new AssertionError("openssl " + String.join(" ", args) + " failed: " + r.output());
    }
    return r.output();
  }

  /** A fresh Ed25519 key pair: {@code name.pem} (PKCS#8) and {@code name.pub.pem} (SPKI). */
  Path[] keyPair(String name) throws IOException, InterruptedException {
    Path key = dir.resolve(name + ".pem");
    Path pub = dir.resolve(name + ".pub.pem");
    ok("genpkey", "-algorithm", "ed25519", "-out", key.toString());
    ok("pkey", "-in", key.toString(), "-pubout", "-out", pub.toString());
    return new Path[] {key, pub};
  }
}
