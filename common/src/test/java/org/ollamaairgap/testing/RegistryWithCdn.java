package org.ollamaairgap.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * The registry.ollama.ai arrangement on loopback: a writable {@code origin} registry to push to, an
 * nginx {@code cdn} serving its storage at {@code http://localhost:PORT}, and a read-only {@code
 * redirecting} registry on the same storage at {@code http://127.0.0.1:PORT} whose blob requests
 * answer {@code 307} to the CDN. Pull from {@link #registryUrl()}.
 *
 * @param origin the writable registry (push here; it serves blobs itself)
 * @param cdn the nginx CDN (faults may be configured on it)
 * @param redirecting the read-only registry that redirects blobs to the CDN
 */
public record RegistryWithCdn(LocalRegistry origin, Nginx cdn, LocalRegistry redirecting)
    implements AutoCloseable {

  /** Starts all three processes under {@code dir} with a fault-free CDN. */
  public static RegistryWithCdn start(Path dir) throws IOException {
    return start(dir, UnaryOperator.identity());
  }

  /**
   * Starts all three under {@code dir}; {@code cdnConfig} may add faults to the CDN builder (its
   * {@link Nginx.Builder#cdn(Path)} is already set).
   */
  public static RegistryWithCdn start(Path dir, UnaryOperator<Nginx.Builder> cdnConfig)
      throws IOException {
    LocalRegistry origin = LocalRegistry.start(dir.resolve("origin"));
    Nginx cdn = null;
    try {
      cdn = cdnConfig.apply(Nginx.builder(dir.resolve("cdn")).cdn(origin.storageDir())).start();
      LocalRegistry redirecting =
          origin.startRedirecting(dir.resolve("redirecting"), cdn.cdnBaseUrl());
      return new RegistryWithCdn(origin, cdn, redirecting);
    } catch (IOException | RuntimeException e) {
      if (cdn != null) {
        cdn.close();
      }
      origin.close();
      throw e;
    }
  }

  /** Pushes the model to the origin; returns the manifest digest. */
  public org.ollamaairgap.common.model.Digest push(SyntheticModel model) throws IOException {
    return origin.push(model);
  }

  /** The URL clients pull from: the redirecting registry, {@code http://127.0.0.1:PORT}. */
  public String registryUrl() {
    return redirecting.baseUrl();
  }

  /** Stops the three processes. */
  @Override
  public void close() {
    try {
      redirecting.close();
    } finally {
      try {
        cdn.close();
      } finally {
        origin.close();
      }
    }
  }
}
