package org.ollamaairgap.stager.registry;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Tunables of the registry driver, as the run's configuration sets them ({@link
 * RegistryDriverProvider#options} maps {@code StagerConfig} onto this; its defaults and checks live
 * there, not here). Nullable fields mean "not set".
 *
 * @param insecure plain HTTP to the registry, as Ollama's {@code --insecure} means it
 * @param mirror fetch from this base URL ({@code <mirror>/v2/...}) but store under the canonical
 *     name; null to use the host in the model name
 * @param caBundle PEM file of extra CA certificates, trusted besides the system ones; null for none
 * @param httpsProxy proxy ({@code http://host:port}) for https requests; null for none
 * @param noProxy hosts (or {@code .suffix}es) that bypass the proxy
 * @param tokenHosts hosts ({@code host} or {@code host:port}, lower case) besides the registry's
 *     own that a token challenge may send us to; empty as in Ollama, which refuses any other
 * @param parts how many Range parts of one blob download at once
 * @param partSize bytes per part; 0 for Ollama's rule (total/16 clamped to [100 MB, 1000 MB])
 * @param maxBandwidth bytes per second over all parts; 0 for no limit
 * @param minRate bytes per second a transfer must reach over {@code minRateWindow}, else it counts
 *     as stalled; 0 for no minimum
 * @param minRateWindow the span {@code minRate} is measured over
 * @param stallTimeout no byte for this long fails the request (and counts as an attempt)
 * @param retries attempts after the first one per request or part (progress resets the count)
 * @param backoffBase first retry delay, doubled per attempt with +-50% jitter
 * @param backoffMax longest delay between attempts, also the cap on {@code Retry-After}
 * @param connectTimeout TCP and TLS connection timeout
 * @param checkpointInterval how often resume state is flushed while bytes arrive
 * @param userAgent sent on registry requests; registry.ollama.ai gates models on the version in it
 * @param clock time source for checkpoints and {@code Retry-After} dates
 * @param sleeper how the driver waits between attempts (tests record instead of sleeping)
 */
public record RegistryOptions(
    boolean insecure,
    URI mirror,
    Path caBundle,
    URI httpsProxy,
    List<String> noProxy,
    List<String> tokenHosts,
    int parts,
    long partSize,
    long maxBandwidth,
    long minRate,
    Duration minRateWindow,
    Duration stallTimeout,
    int retries,
    Duration backoffBase,
    Duration backoffMax,
    Duration connectTimeout,
    Duration checkpointInterval,
    String userAgent,
    Clock clock,
    Sleeper sleeper) {

  /** An Ollama-style User-Agent of a current release; see reference §3.1 (the 412 version gate). */
  public static final String DEFAULT_USER_AGENT = "ollama/0.32.15 (amd64 linux) Go/go1.24.6";

  /** Waits between attempts. */
  @FunctionalInterface
  public interface Sleeper {
    Sleeper REAL = duration -> Thread.sleep(duration.toMillis());

    void sleep(Duration duration) throws InterruptedException;
  }

  public RegistryOptions {
    noProxy = List.copyOf(noProxy);
    tokenHosts = tokenHosts.stream().map(h -> h.strip().toLowerCase(Locale.ROOT)).toList();
    Objects.requireNonNull(minRateWindow, "minRateWindow");
    Objects.requireNonNull(stallTimeout, "stallTimeout");
    Objects.requireNonNull(backoffBase, "backoffBase");
    Objects.requireNonNull(backoffMax, "backoffMax");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(checkpointInterval, "checkpointInterval");
    Objects.requireNonNull(userAgent, "userAgent");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(sleeper, "sleeper");
  }
}
