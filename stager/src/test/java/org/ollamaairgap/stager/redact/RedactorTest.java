package org.ollamaairgap.stager.redact;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each shape of credential the stager can meet, taken out; everything else left as it was. */
class RedactorTest {
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "Authorization: Bearer eyJhbGciOi.x.y | Authorization: [redacted]",
        "proxy-authorization=Basic YWxpY2U6cHc= sent | proxy-authorization=[redacted] sent",
        "got bearer abc.DEF-123 back | got bearer [redacted] back",
        "via http://alice:s3cret@proxy.corp:3128 | via http://[redacted]@proxy.corp:3128",
        "from https://cdn.example/blob?X-Amz-Signature=abc&X-Amz-Credential=k | from"
            + " https://cdn.example/blob?[redacted]",
        "token=abc123 and password: hunter22 | token=[redacted] and password: [redacted]",
        "blob sha256:0123abcd of llama3:8b: HTTP 503 | blob sha256:0123abcd of llama3:8b: HTTP 503",
      })
  void redact_credentialShapes(String text, String expected) {
    assertThat(Redactor.redact(text)).isEqualTo(expected);
  }

  @Test
  void redact_aKnownSecretAnywhere_alsoJsonEscapedAndAsBasic() {
    Redactor.secret("tok\"en-value-1");
    Redactor.secret("bob:pa55-word-2");

    assertThat(Redactor.redact("server said: tok\"en-value-1!"))
        .isEqualTo("server said: [redacted]!");
    assertThat(Redactor.redact("{\"reason\":\"tok\\\"en-value-1\"}"))
        .isEqualTo("{\"reason\":\"[redacted]\"}");
    assertThat(Redactor.redact("echo Ym9iOnBhNTUtd29yZC0y")).isEqualTo("echo [redacted]");
  }

  @Test
  void logFilter_formatsRedactsAndKeepsTheLine() {
    Redactor.secret("log-secret-3");
    LogRecord record = new LogRecord(Level.INFO, "retry: {0}");
    record.setParameters(new Object[] {"answer log-secret-3"});

    assertThat(new RedactingLogFilter().isLoggable(record)).isTrue();

    assertThat(record.getMessage()).isEqualTo("retry: answer [redacted]");
  }
}
