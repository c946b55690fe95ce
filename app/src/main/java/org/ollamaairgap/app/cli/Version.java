package org.ollamaairgap.app.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The project version, filtered into {@code version.properties} by the build. */
final class Version {
  private Version() {}

  static String current() {
    try (InputStream in =
        Version.class.getResourceAsStream("/org/ollamaairgap/app/version.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version", "unknown");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the version", e);
    }
  }
}
