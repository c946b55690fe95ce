package org.ollamaairgap.verifier;

import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;

/** Entry point of the init container. */
@QuarkusMain
public class VerifierMain implements QuarkusApplication {
  @Override
  public int run(String... args) {
    return 0;
  }
}
