package org.ollamaairgap.stager.registry;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Tunables of the registry driver. Nullable fields mean "not set". Defaults follow Ollama: up to 16
 * parts per blob of total/16 bytes clamped to [100 MB, 1000 MB], 6 attempts per part.
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
    Objects.requireNonNull(stallTimeout, "stallTimeout");
    Objects.requireNonNull(backoffBase, "backoffBase");
    Objects.requireNonNull(backoffMax, "backoffMax");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(checkpointInterval, "checkpointInterval");
    Objects.requireNonNull(userAgent, "userAgent");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(sleeper, "sleeper");
    if (parts < 1 || parts > 64) {
      throw new IllegalArgumentException("parts must be 1..64, got " + parts);
    }
    if (partSize < 0) {
      throw new IllegalArgumentException("partSize must not be negative, got " + partSize);
    }
    if (maxBandwidth < 0) {
      throw new IllegalArgumentException("maxBandwidth must not be negative, got " + maxBandwidth);
    }
    if (retries < 0) {
      throw new IllegalArgumentException("retries must not be negative, got " + retries);
    }
    if (stallTimeout.isNegative() || stallTimeout.isZero()) {
      throw new IllegalArgumentException("stallTimeout must be positive, got " + stallTimeout);
    }
    if (mirror != null
        && !("http".equals(mirror.getScheme()) || "https".equals(mirror.getScheme()))) {
      throw new IllegalArgumentException("mirror must be an http:// or https:// URL: " + mirror);
    }
  }

  /** Ollama's defaults, no mirror, no proxy, real time. */
  public static RegistryOptions defaults() {
    return new RegistryOptions(
        false,
        null,
        null,
        null,
        List.of(),
        List.of(),
        16,
        0,
        0,
        Duration.ofSeconds(30),
        6,
        Duration.ofSeconds(1),
        Duration.ofSeconds(30),
        Duration.ofSeconds(30),
        Duration.ofSeconds(1),
        DEFAULT_USER_AGENT,
        Clock.systemUTC(),
        Sleeper.REAL);
  }

  /**
   * The proxy settings a Go program would take from its environment: {@code HTTPS_PROXY} / {@code
   * https_proxy} and {@code NO_PROXY} / {@code no_proxy}. The caller passes the environment;
   * nothing here reads global state.
   */
  public RegistryOptions withProxyFromEnvironment(Map<String, String> env) {
    String proxy = firstNonBlank(env.get("HTTPS_PROXY"), env.get("https_proxy"));
    String no = firstNonBlank(env.get("NO_PROXY"), env.get("no_proxy"));
    URI uri = null;
    if (proxy != null) {
      uri = URI.create(proxy.contains("://") ? proxy : "http://" + proxy);
    }
    List<String> hosts =
        no == null
            ? List.of()
            : java.util.Arrays.stream(no.split(","))
                .map(s -> s.trim().toLowerCase(Locale.ROOT))
                .filter(s -> !s.isEmpty())
                .toList();
    return new Builder(this).httpsProxy(uri).noProxy(hosts).build();
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  private static String firstNonBlank(String a, String b) {
    if (a != null && !a.isBlank()) {
      return a.trim();
    }
    return b != null && !b.isBlank() ? b.trim() : null;
  }

  /** Changes a few fields of a copy. */
  public static final class Builder {
    private boolean insecure;
    private URI mirror;
    private Path caBundle;
    private URI httpsProxy;
    private List<String> noProxy;
    private List<String> tokenHosts;
    private int parts;
    private long partSize;
    private long maxBandwidth;
    private Duration stallTimeout;
    private int retries;
    private Duration backoffBase;
    private Duration backoffMax;
    private Duration connectTimeout;
    private Duration checkpointInterval;
    private String userAgent;
    private Clock clock;
    private Sleeper sleeper;

    Builder(RegistryOptions o) {
      insecure = o.insecure;
      mirror = o.mirror;
      caBundle = o.caBundle;
      httpsProxy = o.httpsProxy;
      noProxy = o.noProxy;
      tokenHosts = o.tokenHosts;
      parts = o.parts;
      partSize = o.partSize;
      maxBandwidth = o.maxBandwidth;
      stallTimeout = o.stallTimeout;
      retries = o.retries;
      backoffBase = o.backoffBase;
      backoffMax = o.backoffMax;
      connectTimeout = o.connectTimeout;
      checkpointInterval = o.checkpointInterval;
      userAgent = o.userAgent;
      clock = o.clock;
      sleeper = o.sleeper;
    }

    public Builder insecure(boolean v) {
      insecure = v;
      return this;
    }

    public Builder mirror(URI v) {
      mirror = v;
      return this;
    }

    public Builder caBundle(Path v) {
      caBundle = v;
      return this;
    }

    public Builder httpsProxy(URI v) {
      httpsProxy = v;
      return this;
    }

    public Builder noProxy(List<String> v) {
      noProxy = v;
      return this;
    }

    public Builder tokenHosts(List<String> v) {
      tokenHosts = v;
      return this;
    }

    public Builder parts(int v) {
      parts = v;
      return this;
    }

    public Builder partSize(long v) {
      partSize = v;
      return this;
    }

    public Builder maxBandwidth(long v) {
      maxBandwidth = v;
      return this;
    }

    public Builder stallTimeout(Duration v) {
      stallTimeout = v;
      return this;
    }

    public Builder retries(int v) {
      retries = v;
      return this;
    }

    public Builder backoffBase(Duration v) {
      backoffBase = v;
      return this;
    }

    public Builder backoffMax(Duration v) {
      backoffMax = v;
      return this;
    }

    public Builder connectTimeout(Duration v) {
      connectTimeout = v;
      return this;
    }

    public Builder checkpointInterval(Duration v) {
      checkpointInterval = v;
      return this;
    }

    public Builder userAgent(String v) {
      userAgent = v;
      return this;
    }

    public Builder clock(Clock v) {
      clock = v;
      return this;
    }

    public Builder sleeper(Sleeper v) {
      sleeper = v;
      return this;
    }

    public RegistryOptions build() {
      return new RegistryOptions(
          insecure,
          mirror,
          caBundle,
          httpsProxy,
          noProxy,
          tokenHosts,
          parts,
          partSize,
          maxBandwidth,
          stallTimeout,
          retries,
          backoffBase,
          backoffMax,
          connectTimeout,
          checkpointInterval,
          userAgent,
          clock,
          sleeper);
    }
  }
}
