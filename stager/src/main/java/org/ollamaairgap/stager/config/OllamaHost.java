package org.ollamaairgap.stager.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/** {@code OLLAMA_HOST} ({@code --ollama-host}) as Ollama's own client reads it. */
public final class OllamaHost {
  /** Ollama's default port, used when {@code OLLAMA_HOST} names none and has no scheme. */
  public static final int DEFAULT_PORT = 11434;

  private OllamaHost() {}

  /**
   * The base URL for an {@code OLLAMA_HOST} value, read as Ollama's own client reads it: no scheme
   * means {@code http} and port 11434; {@code http://} without a port means 80, {@code https://}
   * 443; an empty host means 127.0.0.1; a path is dropped.
   *
   * @throws IllegalArgumentException with a message for people when the value is unusable
   */
  public static URI parse(String value) {
    String text = value == null ? "" : value.strip();
    String scheme = "http";
    int defaultPort = DEFAULT_PORT;
    int sep = text.indexOf("://");
    if (sep >= 0) {
      scheme = text.substring(0, sep).toLowerCase(Locale.ROOT);
      text = text.substring(sep + 3);
      if (scheme.equals("http")) {
        defaultPort = 80;
      } else if (scheme.equals("https")) {
        defaultPort = 443;
      } else {
        throw new IllegalArgumentException(
            "--ollama-host (OLLAMA_HOST) '"
                + value
                + "' has scheme '"
                + scheme
                + "', expected http or https");
      }
    }
    int slash = text.indexOf('/');
    if (slash >= 0) {
      text = text.substring(0, slash);
    }
    String host = text;
    int port = defaultPort;
    int colon = text.lastIndexOf(':');
    boolean bracketed = text.startsWith("[");
    if (colon >= 0 && (!bracketed || colon > text.indexOf(']'))) {
      host = text.substring(0, colon);
      String portText = text.substring(colon + 1);
      try {
        port = Integer.parseInt(portText);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "--ollama-host (OLLAMA_HOST) '"
                + value
                + "' has port '"
                + portText
                + "', expected a number",
            e);
      }
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException(
            "--ollama-host (OLLAMA_HOST) '" + value + "' has port " + port + ", expected 1-65535");
      }
    }
    if (host.isEmpty()) {
      host = "127.0.0.1";
    }
    if (host.contains(":") && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    try {
      return new URI(scheme + "://" + host + ":" + port);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "--ollama-host (OLLAMA_HOST) '" + value + "' is not a usable address: " + e.getMessage(),
          e);
    }
  }
}
