package org.ollamaairgap.stager.config;

import java.util.List;
import org.ollamaairgap.common.cli.CommandLine;
import org.ollamaairgap.common.cli.Option;

/** The stager's flags, each mapped onto a {@link StagerConfig} property and its env variable. */
public final class StagerOptions {
  public static final Option MODELS =
      Option.list(
          "--models",
          "stager.models",
          "STAGER_MODELS",
          "NAME[,NAME...]",
          "Models to stage, Ollama syntax (llama3:8b, host:5000/ns/model:tag).");
  public static final Option DRIVER =
      Option.value(
          "--driver",
          "stager.driver",
          "STAGER_DRIVER",
          "ollama|registry",
          "Who pulls: an Ollama server (ollama) or the stager itself (registry).");

  /** Every option, in the order {@code --help} lists them. */
  public static final List<Option> ALL =
      List.of(
          MODELS,
          DRIVER,
          Option.value(
              "--models-dir",
              "stager.models-dir",
              "OLLAMA_MODELS",
              "DIR",
              "The Ollama store to stage into."),
          Option.value(
              "--ollama-host",
              "stager.ollama-host",
              "OLLAMA_HOST",
              "URL",
              "An existing Ollama server for the ollama driver; none: start `ollama serve`."),
          Option.value(
              "--ollama-bin",
              "stager.ollama-bin",
              "STAGER_OLLAMA_BIN",
              "FILE",
              "The ollama executable to start when no --ollama-host is given; default: PATH."),
          Option.value(
              "--ollama-home",
              "stager.ollama-home",
              "STAGER_OLLAMA_HOME",
              "DIR",
              "HOME for the started ollama serve (it writes .ollama/id_ed25519 there)."),
          Option.value(
              "--ollama-noprune",
              "stager.ollama-noprune",
              "STAGER_OLLAMA_NOPRUNE",
              "true|false",
              "Start ollama serve with OLLAMA_NOPRUNE, so it never deletes blobs in the store."),
          Option.value(
              "--ollama-ready-timeout",
              "stager.ollama-ready-timeout",
              "STAGER_OLLAMA_READY_TIMEOUT",
              "DURATION",
              "How long a started ollama serve may take to answer HTTP."),
          Option.value(
              "--ollama-stop-timeout",
              "stager.ollama-stop-timeout",
              "STAGER_OLLAMA_STOP_TIMEOUT",
              "DURATION",
              "How long a started ollama serve may take to stop before it is killed."),
          Option.toggle(
              "--insecure",
              "stager.insecure",
              "STAGER_INSECURE",
              "Plain HTTP to the registry, as Ollama's --insecure means it."),
          Option.value(
              "--stall-timeout",
              "stager.stall-timeout",
              "STAGER_STALL_TIMEOUT",
              "DURATION",
              "No progress this long while pulling is a stall: the transfer fails, liveness DOWN."),
          Option.value(
              "--linger",
              "stager.linger",
              "STAGER_LINGER",
              "DURATION",
              "Keep serving metrics this long after the work ends; 0 to exit at once."),
          Option.value(
              "--report",
              "stager.report",
              "STAGER_REPORT",
              "FILE",
              "Also write the JSON summary to this file."),
          Option.value(
              "--signing-key",
              "stager.signing-key",
              "STAGER_SIGNING_KEY",
              "FILE",
              "PKCS#8 PEM Ed25519 private key (openssl genpkey -algorithm ed25519): also write the"
                  + " inventory's signature, .ollama-airgap/inventory.dsse.json."),
          Option.value(
              "--termination-log",
              "stager.termination-log",
              "STAGER_TERMINATION_LOG",
              "FILE",
              "Where the one-line outcome goes, if that file exists (Kubernetes creates it)."),
          Option.value(
              "--progress-interval",
              "stager.progress-interval",
              "STAGER_PROGRESS_INTERVAL",
              "DURATION",
              "How often a progress line is logged per model."),
          Option.value(
              "--mirror",
              "stager.mirror",
              "STAGER_MIRROR",
              "URL",
              "registry driver: fetch from this mirror instead of each model's host."),
          Option.value(
              "--ca-bundle",
              "stager.ca-bundle",
              "STAGER_CA_BUNDLE",
              "FILE",
              "registry driver: extra trusted CA certificates (PEM)."),
          Option.value(
              "--https-proxy",
              "stager.https-proxy",
              "STAGER_HTTPS_PROXY",
              "URL",
              "registry driver: HTTPS proxy; defaults to HTTPS_PROXY."),
          Option.list(
              "--allow-token-host",
              "stager.allow-token-host",
              "STAGER_ALLOW_TOKEN_HOST",
              "HOST[:PORT],...",
              "registry driver: token servers allowed besides the registry's own host."),
          Option.value(
              "--parts",
              "stager.parts",
              "STAGER_PARTS",
              "N",
              "registry driver: parts of one blob downloaded in parallel."),
          Option.value(
              "--part-size",
              "stager.part-size",
              "STAGER_PART_SIZE",
              "SIZE",
              "registry driver: size of one part (e.g. 100M); none: size/16 within 100 MB-1 GB."),
          Option.value(
              "--max-bandwidth",
              "stager.max-bandwidth",
              "STAGER_MAX_BANDWIDTH",
              "SIZE",
              "registry driver: bytes per second for the whole run (e.g. 50M); none: no limit."),
          Option.value(
              "--retries",
              "stager.retries",
              "STAGER_RETRIES",
              "N",
              "Retries of a transient failure (a request or part; an ollama pull) before the"
                  + " model fails."),
          Option.value(
              "--min-rate",
              "stager.min-rate",
              "STAGER_MIN_RATE",
              "SIZE",
              "Bytes per second a transfer must reach over --min-rate-window, else it is a stall;"
                  + " none: no minimum."),
          Option.value(
              "--min-rate-window",
              "stager.min-rate-window",
              "STAGER_MIN_RATE_WINDOW",
              "DURATION",
              "The span --min-rate is measured over."),
          Option.value(
              "--kubernetes",
              "stager.kubernetes",
              "STAGER_KUBERNETES",
              "auto|true|false",
              "Use the Kubernetes API (store Lease, inventory ConfigMap, Events); auto: in a pod."),
          Option.value(
              "--lock-wait",
              "stager.lock-wait",
              "STAGER_LOCK_WAIT",
              "DURATION",
              "Wait this long for another stager's lock on the store, then exit 3 naming it."),
          Option.value(
              "--lock-stale-after",
              "stager.lock-stale-after",
              "STAGER_LOCK_STALE_AFTER",
              "DURATION",
              "A lock holder silent this long is presumed dead (lock-file heartbeat, Lease)."),
          Option.value(
              "--inventory-configmap",
              "stager.inventory-configmap",
              "STAGER_INVENTORY_CONFIGMAP",
              "NAME",
              "In a cluster: ConfigMap for the inventory (keys inventory.json, expect)."),
          Option.value(
              "--max-events",
              "stager.max-events",
              "STAGER_MAX_EVENTS",
              "N",
              "In a cluster: Kubernetes Events per run at most."));

  private StagerOptions() {}

  /** The command line: positional arguments are model names. */
  public static CommandLine commandLine() {
    return new CommandLine(
        "stager",
        """
        Stages Ollama models into an Ollama store (OLLAMA_MODELS), verifies every blob they
        reference, and serves /q/metrics and /q/health on port 9000 while it works.
        Exit codes: 0 all staged and verified, 1 a model failed, 2 bad usage or
        configuration (nothing touched), 3 environment problem (target not writable, out of
        space, Ollama not ready, store locked by another stager).""",
        ALL,
        MODELS);
  }
}
