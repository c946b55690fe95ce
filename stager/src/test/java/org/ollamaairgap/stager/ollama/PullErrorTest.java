package org.ollamaairgap.stager.ollama;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ollamaairgap.stager.driver.StageException.Reason;

/** Ollama's error messages (reference §4) and what the driver makes of them. */
class PullErrorTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "pull model manifest: file does not exist | NOT_FOUND | false",
        "invalid model name | REMOTE_ERROR | false",
        "pull model manifest: 412: The model requires a newer version of Ollama. | REMOTE_ERROR"
            + " | false",
        "open /m/blobs/sha256-ab-partial: read-only file system | NOT_WRITABLE | false",
        "mkdir /m/blobs: permission denied | NOT_WRITABLE | false",
        "write /m/blobs/sha256-ab-partial: no space left on device | NO_SPACE | false",
        "this model requires MLX support | REMOTE_ERROR | false",
        "pull model manifest: 401: unauthorized | REMOTE_ERROR | false",
        "unexpected status code 302 | REMOTE_ERROR | false",
        "http: no Location header in response | REMOTE_ERROR | false",
        "pull model manifest: 403: denied | REMOTE_ERROR | false",
        "digest mismatch, file must be downloaded again: want sha256:a, got sha256:b |"
            + " DIGEST_MISMATCH | true",
        "max retries exceeded: unexpected EOF | TRANSFER_FAILED | true",
        "pull model manifest: 503: Service Unavailable | REMOTE_ERROR | true",
        "unexpected status code 502 | REMOTE_ERROR | true",
        "pull model manifest: Get \"https://registry.ollama.ai/v2/\": dial tcp: lookup"
            + " registry.ollama.ai: no such host | REMOTE_ERROR | true",
        "something Ollama never said before | REMOTE_ERROR | true",
      })
  void classifies(String message, Reason reason, boolean transientError) {
    PullError error = PullError.classify(message);

    assertThat(error.reason()).isEqualTo(reason);
    assertThat(error.transientError()).isEqualTo(transientError);
    assertThat(error.message()).startsWith(message);
  }
}
