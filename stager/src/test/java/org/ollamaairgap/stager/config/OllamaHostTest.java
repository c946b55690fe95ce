package org.ollamaairgap.stager.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OllamaHostTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "'', http://127.0.0.1:11434",
    "0.0.0.0, http://0.0.0.0:11434",
    "ollama:11434, http://ollama:11434",
    "http://ollama, http://ollama:80",
    "https://ollama.example, https://ollama.example:443",
    "http://10.0.0.5:8080/path, http://10.0.0.5:8080",
    ":9999, http://127.0.0.1:9999",
    "[::1]:11434, http://[::1]:11434",
  })
  void ollamaHostIsReadAsOllamaReadsIt(String value, String expected) {
    assertThat(OllamaHost.parse(value)).isEqualTo(URI.create(expected));
  }

  @Test
  void unusableOllamaHostIsAUsageError() {
    assertThatThrownBy(() -> OllamaHost.parse("ftp://x"))
        .hasMessage(
            "--ollama-host (OLLAMA_HOST) 'ftp://x' has scheme 'ftp', expected http or https");
    assertThatThrownBy(() -> OllamaHost.parse("x:port"))
        .hasMessage("--ollama-host (OLLAMA_HOST) 'x:port' has port 'port', expected a number");
  }
}
