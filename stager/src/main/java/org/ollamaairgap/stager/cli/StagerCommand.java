package org.ollamaairgap.stager.cli;

import java.util.List;
import org.ollamaairgap.app.cli.Cli;
import org.ollamaairgap.app.cli.Command;
import org.ollamaairgap.app.cli.Setting;

/**
 * The stager's command line: every option as a flag, a {@code StagerConfig} property and an
 * environment variable (the names are the contract: DESIGN §3, §8, docs/stager.md), the management
 * port's variable, and the command with its positional model names. Subcommands ({@code inventory},
 * {@code export}, {@code import}) are added here with {@code withSubcommand}; see the {@code
 * org.ollamaairgap.app.cli} package documentation.
 */
public final class StagerCommand {
  public static final Setting MODELS =
      Setting.list(
          "--models",
          "stager.models",
          "STAGER_MODELS",
          "NAME[,NAME...]",
          "Models to stage, Ollama syntax (llama3:8b, host:5000/ns/model:tag).");
  public static final Setting DRIVER =
      Setting.value(
          "--driver",
          "stager.driver",
          "STAGER_DRIVER",
          "ollama|registry",
          "Who pulls: an Ollama server (ollama) or the stager itself (registry).");

  public static final Setting TERMINATION_LOG =
      Setting.value(
          "--termination-log",
          "stager.termination-log",
          "STAGER_TERMINATION_LOG",
          "FILE",
          "Where the one-line outcome goes, if that file exists (Kubernetes creates it).");

  public static final Setting MODELS_DIR =
      Setting.value(
          "--models-dir",
          "stager.models-dir",
          "OLLAMA_MODELS",
          "DIR",
          "The Ollama store to stage into.");
  public static final Setting REPORT =
      Setting.value(
          "--report",
          "stager.report",
          "STAGER_REPORT",
          "FILE",
          "Also write the JSON summary to this file.");
  public static final Setting SIGNING_KEY =
      Setting.value(
          "--signing-key",
          "stager.signing-key",
          "STAGER_SIGNING_KEY",
          "FILE",
          "PKCS#8 PEM Ed25519 private key (openssl genpkey -algorithm ed25519): also write the"
              + " inventory's signature, .ollama-airgap/inventory.dsse.json.");
  public static final Setting LOCK_WAIT =
      Setting.value(
          "--lock-wait",
          "stager.lock-wait",
          "STAGER_LOCK_WAIT",
          "DURATION",
          "Wait this long for another stager's lock on the store, then exit 3 naming it.");
  public static final Setting LOCK_STALE_AFTER =
      Setting.value(
          "--lock-stale-after",
          "stager.lock-stale-after",
          "STAGER_LOCK_STALE_AFTER",
          "DURATION",
          "A lock holder silent this long is presumed dead (lock-file heartbeat, Lease).");
  public static final Setting TO =
      Setting.value(
          "--to",
          "stager.to",
          "STAGER_TO",
          "DIR|-",
          "Where the bundle goes: a new or empty directory (or an earlier export's, to resume),"
              + " or - for a tar stream on stdout.");
  public static final Setting FROM =
      Setting.value(
          "--from",
          "stager.from",
          "STAGER_FROM",
          "DIR|-",
          "The bundle to import: its directory, or - for its tar stream on stdin.");
  public static final Setting TRUST_KEY =
      Setting.list(
          "--trust-key",
          "stager.trust-key",
          "STAGER_TRUST_KEY",
          "FILE,...",
          "PEM Ed25519 public keys: import only models the bundle's signed inventory lists, signed"
              + " by one of them.");

  /** Every option, in the order {@code --help} lists them. */
  public static final List<Setting> SETTINGS =
      List.of(
          MODELS,
          DRIVER,
          MODELS_DIR,
          Setting.value(
              "--ollama-host",
              "stager.ollama-host",
              "OLLAMA_HOST",
              "URL",
              "An existing Ollama server for the ollama driver; none: start `ollama serve`."),
          Setting.value(
              "--ollama-bin",
              "stager.ollama-bin",
              "STAGER_OLLAMA_BIN",
              "FILE",
              "The ollama executable to start when no --ollama-host is given; unset: the one on PATH."),
          Setting.value(
              "--ollama-home",
              "stager.ollama-home",
              "STAGER_OLLAMA_HOME",
              "DIR",
              "HOME for the started ollama serve (it writes .ollama/id_ed25519 there)."),
          Setting.value(
              "--ollama-noprune",
              "stager.ollama-noprune",
              "STAGER_OLLAMA_NOPRUNE",
              "true|false",
              "Start ollama serve with OLLAMA_NOPRUNE, so it never deletes blobs in the store."),
          Setting.value(
              "--ollama-ready-timeout",
              "stager.ollama-ready-timeout",
              "STAGER_OLLAMA_READY_TIMEOUT",
              "DURATION",
              "How long a started ollama serve may take to answer HTTP."),
          Setting.value(
              "--ollama-stop-timeout",
              "stager.ollama-stop-timeout",
              "STAGER_OLLAMA_STOP_TIMEOUT",
              "DURATION",
              "How long a started ollama serve may take to stop before it is killed."),
          Setting.toggle(
              "--insecure",
              "stager.insecure",
              "STAGER_INSECURE",
              "Plain HTTP to the registry, as Ollama's --insecure means it."),
          Setting.value(
              "--stall-timeout",
              "stager.stall-timeout",
              "STAGER_STALL_TIMEOUT",
              "DURATION",
              "No progress this long while pulling is a stall: the transfer fails, liveness DOWN."),
          Setting.value(
              "--linger",
              "stager.linger",
              "STAGER_LINGER",
              "DURATION",
              "Keep serving metrics this long after the work ends; 0 to exit at once."),
          REPORT,
          SIGNING_KEY,
          TERMINATION_LOG,
          Setting.value(
              "--progress-interval",
              "stager.progress-interval",
              "STAGER_PROGRESS_INTERVAL",
              "DURATION",
              "How often a progress line is logged per model."),
          Setting.value(
              "--mirror",
              "stager.mirror",
              "STAGER_MIRROR",
              "URL",
              "registry driver: fetch from this mirror instead of each model's host."),
          Setting.value(
              "--ca-bundle",
              "stager.ca-bundle",
              "STAGER_CA_BUNDLE",
              "FILE",
              "registry driver: extra trusted CA certificates (PEM)."),
          Setting.value(
                  "--https-proxy",
                  "stager.https-proxy",
                  "STAGER_HTTPS_PROXY",
                  "URL",
                  "registry driver: HTTPS proxy, http://[user:password@]host:port; unset: HTTPS_PROXY"
                      + " (a password is never shown).")
              .withFallback("HTTPS_PROXY")
              .withFallback("https_proxy"),
          Setting.list(
              "--allow-token-host",
              "stager.allow-token-host",
              "STAGER_ALLOW_TOKEN_HOST",
              "HOST[:PORT],...",
              "registry driver: token servers allowed besides the registry's own host."),
          Setting.value(
              "--parts",
              "stager.parts",
              "STAGER_PARTS",
              "N",
              "registry driver: parts of one blob downloaded in parallel."),
          Setting.value(
              "--part-size",
              "stager.part-size",
              "STAGER_PART_SIZE",
              "SIZE",
              "registry driver: size of one part (e.g. 100M); none: size/16 within 100 MB-1 GB."),
          Setting.value(
              "--max-bandwidth",
              "stager.max-bandwidth",
              "STAGER_MAX_BANDWIDTH",
              "SIZE",
              "registry driver: bytes per second for the whole run (e.g. 50M); none: no limit."),
          Setting.value(
              "--retries",
              "stager.retries",
              "STAGER_RETRIES",
              "N",
              "Retries of a transient failure (a request or part; an ollama pull) before the"
                  + " model fails."),
          Setting.value(
              "--min-rate",
              "stager.min-rate",
              "STAGER_MIN_RATE",
              "SIZE",
              "Bytes per second each connection must average over --min-rate-window, else it is a"
                  + " stall; 0: no minimum."),
          Setting.value(
              "--min-rate-window",
              "stager.min-rate-window",
              "STAGER_MIN_RATE_WINDOW",
              "DURATION",
              "The span --min-rate is measured over."),
          Setting.value(
              "--kubernetes",
              "stager.kubernetes",
              "STAGER_KUBERNETES",
              "auto|true|false",
              "Use the Kubernetes API (store Lease, inventory ConfigMap, Events); auto: in a pod."),
          LOCK_WAIT,
          LOCK_STALE_AFTER,
          Setting.value(
              "--inventory-configmap",
              "stager.inventory-configmap",
              "STAGER_INVENTORY_CONFIGMAP",
              "NAME",
              "In a cluster: ConfigMap for the inventory (keys inventory.json, expect)."),
          Setting.value(
              "--max-events",
              "stager.max-events",
              "STAGER_MAX_EVENTS",
              "N",
              "In a cluster: Kubernetes Events per run at most."),
          Setting.optional(
              "--prune",
              "stager.prune",
              "STAGER_PRUNE",
              "off|dry-run|on",
              "After a run in which every model staged, remove what is not listed; alone: on."),
          Setting.value(
              "--prune-grace",
              "stager.prune-grace",
              "STAGER_PRUNE_GRACE",
              "DURATION",
              "How long a blob no manifest references waits before --prune deletes it."),
          Setting.list(
              "--prune-scope",
              "stager.prune-scope",
              "STAGER_PRUNE_SCOPE",
              "HOST/NAMESPACE,...|all",
              "Manifests --prune may remove besides the listed models' hosts and namespaces."));

  /** The port of /q/metrics and /q/health; Quarkus' own variable moves it. */
  public static final Setting MANAGEMENT_PORT =
      Setting.variable(
          "QUARKUS_MANAGEMENT_PORT",
          "quarkus.management.port",
          "Port of /q/metrics and /q/health while the stager works; a port already in use exits 3.");

  public static final Command COMMAND =
      Command.of(
              "stager",
              """
              Stages Ollama models into an Ollama store (OLLAMA_MODELS), verifies every blob they \
              reference, and serves /q/metrics and /q/health on the management port while it works.
              Exit codes: 0 all staged and verified, 1 a model failed, 2 bad usage or configuration \
              (nothing touched), 3 environment problem (target not writable, out of space, Ollama \
              not ready, store locked by another stager, management port in use).""",
              SETTINGS)
          .withPositional(MODELS)
          .withEnvironment(MANAGEMENT_PORT)
          .withSubcommand(
              Command.of(
                      "export",
                      """
                      Writes the listed models of a store as a bundle: an OCI Image Layout \
                      directory, or its tar stream on stdout (--to -), every blob hashed again on \
                      the way out, with the store's inventory (signed with --signing-key). A \
                      killed export resumes. Serves no port.
                      Exit codes: 0 every model exported, 1 a model is missing or damaged in the \
                      store, 2 bad usage, 3 environment problem (store unreadable, target not \
                      usable, out of space).""",
                      List.of(MODELS, MODELS_DIR, TO, SIGNING_KEY, REPORT, TERMINATION_LOG))
                  .withPositional(MODELS))
          .withSubcommand(
              Command.of(
                  "import",
                  """
                  Fills a store from a bundle with the stager's commit rules: each blob hashed \
                  while it is copied, renamed into place only when it matches, a model's manifest \
                  written last; the store's lock held, free space checked first. A killed import \
                  resumes. Serves no port.
                  Exit codes: 0 every model imported, 1 a model's blob, manifest or signature \
                  does not match (no manifest written for it), 2 bad usage, 3 environment \
                  problem (bundle or store unreadable, out of space, store locked).""",
                  List.of(
                      FROM,
                      MODELS_DIR,
                      TRUST_KEY,
                      LOCK_WAIT,
                      LOCK_STALE_AFTER,
                      REPORT,
                      TERMINATION_LOG)));

  public static final Cli CLI = new Cli(COMMAND);

  private StagerCommand() {}
}
