package org.ollamaairgap.stager.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.ollamaairgap.app.UsageException;
import org.ollamaairgap.app.cli.InForce;
import org.ollamaairgap.app.output.Formats;
import org.ollamaairgap.common.prune.PruneMode;
import org.ollamaairgap.common.prune.PruneScope;

/**
 * The one check of the stager's option values, run before anything is touched so that a bad value
 * exits 2. Types and syntax are SmallRye's job (a duration that does not parse); this checks ranges
 * and URLs. Every message names the flag and its environment variable.
 */
public final class ConfigCheck {
  /** More parallel parts per blob than this only adds connections, not speed. */
  public static final int MAX_PARTS = 64;

  private ConfigCheck() {}

  /** Throws a usage error naming the first bad option. */
  public static void check(StagerConfig config) throws UsageException {
    positive("--progress-interval", "STAGER_PROGRESS_INTERVAL", config.progressInterval());
    notNegative("--linger", "STAGER_LINGER", config.linger());
    transfer(config.transfer());
    ollama(config.ollama());
    registry(config.registry());
    cluster(config.cluster());
    lifecycle(config.lifecycle());
  }

  /** The prune mode, checked by {@link #check}. */
  public static PruneMode pruneMode(StagerConfig.Lifecycle lifecycle) {
    return PruneMode.parse(lifecycle.prune());
  }

  private static void lifecycle(StagerConfig.Lifecycle lifecycle) throws UsageException {
    try {
      pruneMode(lifecycle);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--prune (STAGER_PRUNE): " + e.getMessage(), e);
    }
    notNegative("--prune-grace", "STAGER_PRUNE_GRACE", lifecycle.pruneGrace());
    try {
      PruneScope.parse(lifecycle.pruneScope().orElse(List.of()), List.of());
    } catch (IllegalArgumentException e) {
      throw new UsageException("--prune-scope (STAGER_PRUNE_SCOPE): " + e.getMessage(), e);
    }
  }

  private static void transfer(StagerConfig.Transfer transfer) throws UsageException {
    positive("--stall-timeout", "STAGER_STALL_TIMEOUT", transfer.stallTimeout());
    if (transfer.retries() < 0) {
      throw bad("--retries", "STAGER_RETRIES", "must be 0 or more", transfer.retries());
    }
    positive("--min-rate-window", "STAGER_MIN_RATE_WINDOW", transfer.minRateWindow());
  }

  private static void ollama(StagerConfig.Ollama ollama) throws UsageException {
    positive("--ollama-ready-timeout", "STAGER_OLLAMA_READY_TIMEOUT", ollama.ollamaReadyTimeout());
    positive("--ollama-stop-timeout", "STAGER_OLLAMA_STOP_TIMEOUT", ollama.ollamaStopTimeout());
    Optional<String> host = ollama.ollamaHost().filter(h -> !h.isBlank());
    if (host.isPresent()) {
      try {
        OllamaHost.parse(host.get());
      } catch (IllegalArgumentException e) {
        throw new UsageException(e.getMessage(), e);
      }
    }
  }

  private static void registry(StagerConfig.Registry registry) throws UsageException {
    if (registry.parts() < 1 || registry.parts() > MAX_PARTS) {
      throw bad("--parts", "STAGER_PARTS", "must be 1 to " + MAX_PARTS, registry.parts());
    }
    Optional<String> mirror = registry.mirror().filter(m -> !m.isBlank());
    if (mirror.isPresent()) {
      httpUrl("--mirror", "STAGER_MIRROR", mirror.get());
    }
    Optional<String> proxy = registry.httpsProxy().map(String::strip).filter(p -> !p.isEmpty());
    if (proxy.isPresent()) {
      String text = proxy.get();
      httpUrl(
          "--https-proxy", "STAGER_HTTPS_PROXY", text.contains("://") ? text : "http://" + text);
    }
  }

  private static void cluster(StagerConfig.Cluster cluster) throws UsageException {
    notNegative("--lock-wait", "STAGER_LOCK_WAIT", cluster.lockWait());
    positive("--lock-stale-after", "STAGER_LOCK_STALE_AFTER", cluster.lockStaleAfter());
    // Two: the run's start and its end; the model events share what is left.
    if (cluster.maxEvents() < 2) {
      throw bad("--max-events", "STAGER_MAX_EVENTS", "must be 2 or more", cluster.maxEvents());
    }
  }

  /**
   * A URL the driver can use; the caller checked it (through {@link #check}) before.
   *
   * @throws IllegalArgumentException if it is not a URL at all
   */
  public static URI url(String text) {
    try {
      return new URI(text.strip());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("'" + text + "' is not a URL: " + e.getMessage(), e);
    }
  }

  private static void httpUrl(String flag, String env, String text) throws UsageException {
    URI uri;
    try {
      uri = url(text);
    } catch (IllegalArgumentException e) {
      throw new UsageException(flag + " (" + env + "): " + InForce.redact(e.getMessage()), e);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
      throw new UsageException(
          flag
              + " ("
              + env
              + "): '"
              + InForce.redact(text) // a proxy URL may carry a password
              + "' is not an http:// or https:// URL with a host; give one like"
              + " https://mirror.example:5000");
    }
  }

  private static void positive(String flag, String env, Duration value) throws UsageException {
    if (value.isZero() || value.isNegative()) {
      throw bad(flag, env, "must be more than 0", text(value));
    }
  }

  private static void notNegative(String flag, String env, Duration value) throws UsageException {
    if (value.isNegative()) {
      throw bad(flag, env, "must be 0 or more", text(value));
    }
  }

  private static UsageException bad(String flag, String env, String rule, Object value) {
    return new UsageException(flag + " (" + env + ") " + rule + ", not " + value);
  }

  /** {@code 0s}, {@code -5s}, {@code 1m30s}: the form the option takes, not {@code PT1M30S}. */
  private static String text(Duration value) {
    return Formats.duration(value);
  }
}
