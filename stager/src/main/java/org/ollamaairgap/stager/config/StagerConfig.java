package org.ollamaairgap.stager.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithParentName;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Every option of the stager, as properties under {@code stager.}, and the only place their
 * defaults are written. Each is also an environment variable ({@code STAGER_STALL_TIMEOUT} sets
 * {@code stager.stall-timeout}) and a flag ({@link org.ollamaairgap.stager.cli.StagerCommand});
 * {@code models-dir}, {@code ollama-host} and {@code https-proxy} take Ollama's own {@code
 * OLLAMA_MODELS}, {@code OLLAMA_HOST} and {@code HTTPS_PROXY} in {@code application.properties}.
 * The groups only sort the options by who reads them: {@link WithParentName} keeps every property
 * directly under {@code stager.} ({@code stager.parts}, not {@code stager.registry.parts}). Values
 * are checked in one place, {@link ConfigCheck}.
 */
@ConfigMapping(prefix = "stager")
public interface StagerConfig {
  /** Model names in Ollama syntax; required, but checked by the run so that it can exit 2. */
  Optional<List<String>> models();

  /** {@code ollama} or {@code registry}. */
  @WithDefault("ollama")
  String driver();

  /** The store root, {@code OLLAMA_MODELS}. */
  Path modelsDir();

  /** How long to keep serving metrics after the work ends, so Prometheus scrapes final values. */
  @WithDefault("30s")
  Duration linger();

  /** Where to write the JSON summary, besides the log. */
  Optional<Path> report();

  /** PKCS#8 PEM Ed25519 private key that signs the store's inventory; none: unsigned. */
  Optional<Path> signingKey();

  /** Kubernetes' termination message file; written only when it already exists. */
  @WithDefault("/dev/termination-log")
  Path terminationLog();

  /** How often a progress line is logged per pulling model. */
  @WithDefault("10s")
  Duration progressInterval();

  /** What both drivers do when bytes move: retries, stalls, plain HTTP. */
  @WithParentName
  Transfer transfer();

  /** The {@code ollama} driver's own options. */
  @WithParentName
  Ollama ollama();

  /** The {@code registry} driver's own options. */
  @WithParentName
  Registry registry();

  /** The single-writer lock and what the run reports to Kubernetes. */
  @WithParentName
  Cluster cluster();

  /** {@code --prune}: what the export holds after a successful run. */
  @WithParentName
  Lifecycle lifecycle();

  @WithParentName
  Bundle bundle();

  /** Options of a transfer, whichever driver makes it. */
  interface Transfer {
    /** Plain HTTP to the registry, as Ollama's {@code --insecure} means it. */
    @WithDefault("false")
    boolean insecure();

    /**
     * No progress for this long while a model is pulling counts as a stall: the transfer fails and
     * liveness goes DOWN. Five minutes outlasts an NFS server's 90-second grace period after a
     * restart plus Ollama's own part retries (a 30-second stall timer and up to 32 s of backoff),
     * while still catching a hung pull long before a Job's deadline.
     */
    @WithDefault("5m")
    Duration stallTimeout();

    /**
     * Attempts after the first for a transient failure: a request or part (registry driver), a
     * whole {@code /api/pull} (ollama driver).
     */
    @WithDefault("6")
    int retries();

    /**
     * Bytes per second a transfer must reach over {@link #minRateWindow()}, else it counts as
     * stalled; 0 for no minimum. Catches a transfer that trickles (a throttled or failing path, a
     * server that drips a byte a second) and so never trips the stall timeout. The default is far
     * below any real link (a 1 GbE link moves 100,000 times that) and only catches a drip.
     */
    @WithDefault("1K")
    MemorySize minRate();

    /**
     * The span {@link #minRate()} is measured over. A minute rides out a short dip (a registry's
     * redirect, a TCP window collapse) without letting a trickle run for hours.
     */
    @WithDefault("1m")
    Duration minRateWindow();
  }

  /** Options of the {@code ollama} driver. */
  interface Ollama {
    /** An existing Ollama server ({@code OLLAMA_HOST}); none means start one. */
    Optional<String> ollamaHost();

    /** The {@code ollama} executable to start; none means the one on {@code PATH}. */
    Optional<Path> ollamaBin();

    /**
     * {@code HOME} for the started server, which creates {@code $HOME/.ollama/id_ed25519} at
     * start-up; none keeps the stager's own. Must be writable.
     */
    Optional<Path> ollamaHome();

    /**
     * Start the server with {@code OLLAMA_NOPRUNE}, so it never deletes blobs another writer put in
     * the shared store or a replaced tag's old layers.
     */
    @WithDefault("true")
    boolean ollamaNoprune();

    /** How long a started server may take to answer HTTP. */
    @WithDefault("60s")
    Duration ollamaReadyTimeout();

    /** How long a started server may take to stop before it is killed. */
    @WithDefault("10s")
    Duration ollamaStopTimeout();
  }

  /** Options of the {@code registry} driver. */
  interface Registry {
    /** A mirror base URL used instead of each model's host. */
    Optional<String> mirror();

    /** Extra trusted CA certificates (PEM), e.g. a TLS-inspecting proxy's. */
    Optional<Path> caBundle();

    /** The HTTPS proxy, {@code http://host:port}; {@code HTTPS_PROXY} unless set. */
    Optional<String> httpsProxy();

    /**
     * Hosts ({@code host} or {@code host:port}) other than the registry's own that a token
     * challenge may send the stager to. None, as in Ollama, which refuses any other host.
     */
    Optional<List<String>> allowTokenHost();

    /** Parts of one blob downloaded in parallel (Ollama uses 16). */
    @WithDefault("16")
    int parts();

    /** Size of one part; none for Ollama's rule (size/16 within 100 MB-1 GB). */
    Optional<MemorySize> partSize();

    /** Bandwidth limit in bytes per second for the whole run; none for no limit. */
    Optional<MemorySize> maxBandwidth();
  }

  /** The lock on the store and what a run in a cluster writes to the Kubernetes API. */
  interface Cluster {
    /**
     * Whether to use the Kubernetes API (store Lease, inventory ConfigMap, Events): {@code auto}
     * inside a pod with a service-account token, {@code true}, or {@code false}.
     */
    @WithDefault("auto")
    String kubernetes();

    /** How long to wait for another stager's lock on the store before giving up (exit 3). */
    @WithDefault("5m")
    Duration lockWait();

    /**
     * A lock holder silent this long is presumed dead and stops blocking: the lock file's heartbeat
     * age and the Lease's duration. Longer than an NFS server's restart grace (90 s) so a live
     * holder stuck on a recovering export is not taken over.
     */
    @WithDefault("2m")
    Duration lockStaleAfter();

    /** The ConfigMap the inventory goes to in a cluster (the chart's stager.inventoryConfigMap). */
    @WithDefault("ollama-airgap-inventory")
    String inventoryConfigmap();

    /** Kubernetes Events per run at most; model events beyond it are summed up in the last one. */
    @WithDefault("20")
    int maxEvents();
  }

  /** Desired state on the export (docs/lifecycle.md). */
  interface Lifecycle {
    /**
     * {@code off}, {@code dry-run} or {@code on} ({@code true}/{@code false} too): after a run in
     * which every model staged, remove what is not listed (two-phase for blobs).
     */
    @WithDefault("off")
    String prune();

    /**
     * How long a blob no manifest references waits before it is deleted: production pods reading it
     * over NFS must have moved on (a day covers a rolling restart and a night).
     */
    @WithDefault("24h")
    Duration pruneGrace();

    /**
     * Manifests a prune may remove besides those under the listed models' hosts and namespaces:
     * {@code host/namespace} entries or {@code all}.
     */
    Optional<List<String>> pruneScope();
  }

  /** {@code stager export} and {@code stager import}: where a bundle goes, where it comes from. */
  interface Bundle {
    /** Export target: a directory, or {@code -} for a tar stream on stdout. */
    Optional<String> to();

    /** Import source: a bundle directory, or {@code -} for a tar stream on stdin. */
    Optional<String> from();

    /** Import: PEM Ed25519 public keys; the bundle's signed inventory must verify with one. */
    Optional<List<Path>> trustKey();
  }
}
