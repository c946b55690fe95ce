package org.ollamaairgap.common.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.ollamaairgap.common.model.Digest;
import org.ollamaairgap.common.model.ModelName;
import org.ollamaairgap.common.model.StoreException;

/** {@code --require} takes the stager's model list as it is, pins included. */
class RequirementTest {
  static final String HEX = "0123456789abcdef".repeat(4);

  @Test
  void aPinnedEntryRequiresAndPins() throws Exception {
    Requirement r = Requirement.require("  llama3.2:1b@sha256:" + HEX + " ");
    assertThat(r.name()).isEqualTo(ModelName.parse("llama3.2:1b"));
    assertThat(r.manifestDigest()).isEqualTo(Digest.parse("sha256:" + HEX));
    assertThat(r).isEqualTo(Requirement.expect("llama3.2:1b@sha256:" + HEX));
  }

  @Test
  void anUnpinnedEntryOnlyRequires() throws Exception {
    assertThat(Requirement.require("llama3.2:1b").manifestDigest()).isNull();
  }

  @Test
  void aBrokenPinIsRefusedNotIgnored() {
    assertThatThrownBy(() -> Requirement.require("llama3.2:1b@sha256:abc"))
        .isInstanceOf(StoreException.class);
    assertThatThrownBy(() -> Requirement.require("llama3.2:1b@"))
        .isInstanceOf(StoreException.class);
  }
}
