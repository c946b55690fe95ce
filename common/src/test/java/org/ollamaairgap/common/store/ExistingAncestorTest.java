package org.ollamaairgap.common.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExistingAncestorTest {
  @TempDir Path tmp;

  @Test
  void anExistingPathIsItsOwnAnswer() {
    assertThat(ExistingAncestor.of(tmp)).isEqualTo(tmp);
  }

  @Test
  void aMissingPathAnswersItsNearestExistingAncestor() {
    assertThat(ExistingAncestor.of(tmp.resolve("a/b/c"))).isEqualTo(tmp);
  }

  @Test
  void aRelativePathWithNothingThereAndNoPathAtAllAnswerNull() {
    assertThat(ExistingAncestor.of(Path.of("no-such-dir-here/x"))).isNull();
    assertThat(ExistingAncestor.of(null)).isNull();
  }
}
