package org.ollamaairgap.app.cli;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithParentName;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** A small mapping shaped like the programs' own: an enum, numbers, a group, a list. */
@ConfigMapping(prefix = "demo")
public interface DemoConfig {
  enum Mode {
    FULL,
    SIZE
  }

  @WithDefault("full")
  Mode mode();

  @WithDefault("0")
  int parallelism();

  @WithDefault("10s")
  Duration interval();

  @WithDefault("false")
  boolean insecure();

  Optional<List<String>> models();

  String dir();

  @WithParentName
  Transfer transfer();

  /** A group without its own prefix, as the stager's registry options. */
  interface Transfer {
    @WithDefault("16")
    int parts();
  }
}
