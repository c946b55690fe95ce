package org.ollamaairgap.stager;

import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;

/** Entry point of the staging Job. */
@QuarkusMain
public class StagerMain implements QuarkusApplication {
  @Override
  public int run(String... args) {
    return 0;
  }
}
