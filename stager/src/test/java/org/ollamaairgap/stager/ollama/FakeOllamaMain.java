package org.ollamaairgap.stager.ollama;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.ollamaairgap.stager.ollama.FakeOllamaServer.Kind;
import org.ollamaairgap.stager.ollama.FakeOllamaServer.Plan;
import org.ollamaairgap.testing.SyntheticModel;

/**
 * {@code ollama serve} for tests: the {@link FakeOllamaServer} as a process, started by the fake
 * {@code ollama} script. It reads {@code OLLAMA_HOST} and {@code OLLAMA_MODELS} as Ollama does,
 * prints a start-up log, and is scripted through {@code FAKE_OLLAMA_*} variables:
 *
 * <ul>
 *   <li>{@code FAKE_OLLAMA_MODELS}: {@code name=seed:bytes,...}, typical synthetic models
 *   <li>{@code FAKE_OLLAMA_READY_AFTER_MS}: answer HTTP only after this delay (port bound at once)
 *   <li>{@code FAKE_OLLAMA_DIE_AFTER_LINES}: exit with code 42 during the first pull
 *   <li>{@code FAKE_OLLAMA_EXIT_AT_START}: print this error and exit with code 1, as Ollama does
 *       when it cannot create its key
 * </ul>
 */
public final class FakeOllamaMain {
  private FakeOllamaMain() {}

  public static void main(String[] args) throws Exception {
    String exitAtStart = System.getenv("FAKE_OLLAMA_EXIT_AT_START");
    if (exitAtStart != null) {
      System.err.println("Error: " + exitAtStart);
      System.exit(1);
    }
    URI host = org.ollamaairgap.stager.config.OllamaHost.parse(System.getenv("OLLAMA_HOST"));
    Path models = Path.of(System.getenv("OLLAMA_MODELS"));
    System.out.println(
        "fake ollama: OLLAMA_HOST="
            + System.getenv("OLLAMA_HOST")
            + " OLLAMA_MODELS="
            + models
            + " OLLAMA_NOPRUNE="
            + System.getenv("OLLAMA_NOPRUNE")
            + " HOME="
            + System.getenv("HOME"));
    long readyAfter = Long.parseLong(env("FAKE_OLLAMA_READY_AFTER_MS", "0"));
    FakeOllamaServer fake =
        FakeOllamaServer.start(
            models,
            new InetSocketAddress(InetAddress.getByName(host.getHost()), host.getPort()),
            Duration.ofMillis(readyAfter));
    System.out.println("fake ollama: Listening on " + host.getHost() + ":" + host.getPort());
    fake.onDie(
        () -> {
          System.out.println("fake ollama: crashing as planned");
          System.out.flush();
          Runtime.getRuntime().halt(42);
        });
    String dieAfter = System.getenv("FAKE_OLLAMA_DIE_AFTER_LINES");
    for (String spec : env("FAKE_OLLAMA_MODELS", "").split(",", -1)) {
      if (spec.isBlank()) {
        continue;
      }
      String name = spec.substring(0, spec.indexOf('='));
      String[] seedSize = spec.substring(spec.indexOf('=') + 1).split(":", -1);
      fake.add(
          SyntheticModel.typical(name, Long.parseLong(seedSize[0]), Long.parseLong(seedSize[1])));
      if (dieAfter != null) {
        fake.plan(name, Plan.fail(Kind.DIE, Integer.parseInt(dieAfter)));
      }
    }
    Thread.currentThread().join();
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null ? fallback : value;
  }
}
