package org.ollamaairgap.stager.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ollamaairgap.stager.ollama.OllamaOptions;
import org.ollamaairgap.stager.registry.RegistryOptions;
import org.ollamaairgap.stager.testing.TestOptions;

/** The one check of option values, and the one set of defaults both drivers get. */
class ConfigCheckTest {
  private static Map<String, String> env(String name, String value) {
    return Map.of("OLLAMA_MODELS", "/models", name, value);
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "STAGER_STALL_TIMEOUT|0|--stall-timeout (STAGER_STALL_TIMEOUT) must be more than 0, not 0s",
        "STAGER_PROGRESS_INTERVAL|-5s|--progress-interval (STAGER_PROGRESS_INTERVAL) must be more"
            + " than 0, not -5s",
        "STAGER_LINGER|-1m|--linger (STAGER_LINGER) must be 0 or more, not -1m",
        "STAGER_RETRIES|-1|--retries (STAGER_RETRIES) must be 0 or more, not -1",
        "STAGER_PARTS|0|--parts (STAGER_PARTS) must be 1 to 64, not 0",
        "STAGER_PARTS|65|--parts (STAGER_PARTS) must be 1 to 64, not 65",
        "STAGER_MIN_RATE_WINDOW|0s|--min-rate-window (STAGER_MIN_RATE_WINDOW) must be more than 0,"
            + " not 0s",
        "STAGER_OLLAMA_READY_TIMEOUT|0|--ollama-ready-timeout (STAGER_OLLAMA_READY_TIMEOUT) must be"
            + " more than 0, not 0s",
        "STAGER_OLLAMA_STOP_TIMEOUT|0|--ollama-stop-timeout (STAGER_OLLAMA_STOP_TIMEOUT) must be"
            + " more than 0, not 0s",
        "STAGER_LOCK_WAIT|-1s|--lock-wait (STAGER_LOCK_WAIT) must be 0 or more, not -1s",
        "STAGER_LOCK_STALE_AFTER|0|--lock-stale-after (STAGER_LOCK_STALE_AFTER) must be more than"
            + " 0, not 0s",
        "STAGER_MAX_EVENTS|1|--max-events (STAGER_MAX_EVENTS) must be 2 or more, not 1",
        "STAGER_MIRROR|ftp://mirror|--mirror (STAGER_MIRROR): 'ftp://mirror' is not an http:// or"
            + " https:// URL with a host; give one like https://mirror.example:5000",
        "STAGER_MIRROR|http://bad host/|--mirror (STAGER_MIRROR): 'http://bad host/' is not a URL:"
            + " Illegal character in authority at index 7: http://bad host/",
        "STAGER_HTTPS_PROXY|socks5://proxy:1080|--https-proxy (STAGER_HTTPS_PROXY):"
            + " 'socks5://proxy:1080' is not an http:// or https:// URL with a host; give one like"
            + " https://mirror.example:5000",
        "OLLAMA_HOST|ftp://x|--ollama-host (OLLAMA_HOST) 'ftp://x' has scheme 'ftp', expected http"
            + " or https",
      })
  void check_badValue_namesTheFlagAndItsEnvironmentVariable(
      String name, String value, String message) {
    assertThatThrownBy(() -> TestOptions.config(env(name, value))).hasMessage(message);
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource({
    "STAGER_LINGER, 0",
    "STAGER_LOCK_WAIT, 0",
    "STAGER_RETRIES, 0",
    "STAGER_PARTS, 1",
    "STAGER_PARTS, 64",
    "STAGER_MAX_EVENTS, 2",
    "STAGER_MIN_RATE, 1",
    "STAGER_HTTPS_PROXY, proxy.corp:3128",
    "STAGER_MIRROR, https://mirror.example:5000/",
    "OLLAMA_HOST, ollama:11434",
  })
  void check_edgeValues_pass(String name, String value) {
    assertThat(TestOptions.config(env(name, value))).isNotNull();
  }

  @Test
  void bothDrivers_getTheDefaultsOfTheOneMapping() {
    RegistryOptions registry = TestOptions.registry().build();
    OllamaOptions ollama = TestOptions.ollama(Path.of("/models")).build();

    assertThat(registry.stallTimeout()).isEqualTo(Duration.ofMinutes(5));
    assertThat(ollama.stallTimeout()).isEqualTo(Duration.ofMinutes(5));
    assertThat(registry.retries()).isEqualTo(6);
    assertThat(ollama.retries()).isEqualTo(6);
    assertThat(registry.parts()).isEqualTo(16);
    assertThat(registry.minRate()).isEqualTo(1024);
    assertThat(registry.minRateWindow()).isEqualTo(Duration.ofMinutes(1));
    assertThat(ollama.host()).isNull();
    assertThat(ollama.noprune()).isTrue();
    assertThat(ollama.readyTimeout()).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void minRate_takesASizePerSecond() {
    RegistryOptions o =
        TestOptions.registry()
            .env("STAGER_MIN_RATE", "1M")
            .minRateWindow(Duration.ofSeconds(90))
            .build();

    assertThat(o.minRate()).isEqualTo(1024 * 1024);
    assertThat(o.minRateWindow()).isEqualTo(Duration.ofSeconds(90));
  }

  @Test
  void minRate_zeroTurnsTheRuleOff() {
    assertThat(TestOptions.registry().env("STAGER_MIN_RATE", "0").build().minRate()).isZero();
  }

  @Test
  void ollamaHost_fromTheEnvironment_isParsedAsOllamaDoes() {
    OllamaOptions o = TestOptions.ollama(Path.of("/models")).env("OLLAMA_HOST", "sidecar").build();

    assertThat(o.host()).isEqualTo(URI.create("http://sidecar:11434"));
  }
}
