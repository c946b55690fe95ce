package org.ollamaairgap.stager.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PartPlanTest {

  @ParameterizedTest(name = "{0} bytes, part size {1}: {2} parts, first {3}, last {4}")
  @CsvSource({
    // size,         partSize, parts, first,         last
    "0,              0,        0,     0,             0",
    "1000,           0,        1,     1000,          1000", // auto: at least 100 MB a part
    "3200000000,     0,        16,    200000000,     200000000", // auto: size / 16
    "32000000000,    0,        32,    1000000000,    1000000000", // auto: at most 1000 MB
    "1000,           300,      4,     300,           100", // configured, remainder last
    "1000000,        1,        10000, 100,           100", // never more than 10000 parts
    "250000000,      100000000, 3,    100000000,     50000000"
  })
  void of_cutsTheBlobIntoContiguousParts(
      long size, long partSize, int parts, long first, long last) {
    List<ResumeState.Part> plan = PartPlan.of(size, partSize);

    assertThat(plan).hasSize(parts);
    if (parts > 0) {
      assertThat(plan.get(0).size()).isEqualTo(first);
      assertThat(plan.get(parts - 1).size()).isEqualTo(last);
    }
    long offset = 0;
    for (ResumeState.Part part : plan) {
      assertThat(part.offset()).isEqualTo(offset);
      assertThat(part.completed()).isZero();
      offset += part.size();
    }
    assertThat(offset).isEqualTo(size);
    assertThat(plan.size()).isLessThanOrEqualTo(ResumeState.MAX_PARTS);
  }
}
