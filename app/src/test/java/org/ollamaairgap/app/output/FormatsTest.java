package org.ollamaairgap.app.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FormatsTest {
  @ParameterizedTest
  @CsvSource({
    "0, 0s",
    "250, 250ms",
    "1000, 1s",
    "4200, 4.2s",
    "59999, 59.9s",
    "60000, 1m",
    "299000, 4m59s",
    "3600000, 1h",
    "3720000, 1h02m",
    "86400000, 1d",
    "183600000, 2d03h",
    "-5000, -5s",
  })
  void durationsAsAnOperatorTypesThem(long millis, String expected) {
    assertThat(Formats.duration(Duration.ofMillis(millis))).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"0, model, 0 models", "1, model, 1 model", "2, blob, 2 blobs", "1, error, 1 error"})
  void countsAgreeWithTheirNumber(long n, String noun, String expected) {
    assertThat(Formats.count(n, noun)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"512, 512 B", "3000, 2.9 KiB", "1610612736, 1.5 GiB"})
  void bytesInBinaryUnits(long bytes, String expected) {
    assertThat(Formats.bytes(bytes)).isEqualTo(expected);
    assertThat(Formats.rate(bytes)).isEqualTo(expected + "/s");
  }
}
