package org.ollamaairgap.stager.cluster;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;
import org.ollamaairgap.stager.redact.Redactor;

/**
 * Kubernetes Events on the stager's pod, for {@code kubectl describe pod} and event exporters:
 * staging started, each model staged (digest, size) or failed (reason), run finished. At most
 * {@code maxEvents} per run: model events beyond the budget are counted into the final event
 * instead, which always has a slot. Events are a courtesy: the first failure to send one is logged
 * once and the rest are skipped, so an API problem never slows the run.
 */
public final class EventPublisher {
  private static final Logger LOG = Logger.getLogger(EventPublisher.class);

  /** The API server truncates longer messages anyway. */
  private static final int MAX_MESSAGE = 1024;

  public static final String STARTED = "StagingStarted";
  public static final String STAGED = "ModelStaged";
  public static final String FAILED = "ModelFailed";
  public static final String FINISHED = "StagingFinished";
  public static final String RUN_FAILED = "StagingFailed";
  public static final String COMPONENT = "ollama-airgap-stager";

  private final KubernetesClient client;
  private final ClusterContext pod;
  private final int maxEvents;
  private final Clock clock;
  private final AtomicLong sequence = new AtomicLong();
  private int sent;
  private int skippedStaged;
  private int skippedFailed;
  private boolean broken;

  /**
   * @param maxEvents events per run, at least 2 (started and finished)
   */
  public EventPublisher(KubernetesClient client, ClusterContext pod, int maxEvents, Clock clock) {
    this.client = client;
    this.pod = pod;
    this.maxEvents = Math.max(2, maxEvents);
    this.clock = clock;
  }

  /** Publishes nothing (outside a cluster). */
  public static EventPublisher none() {
    return new EventPublisher(null, ClusterContext.disabled(), 2, Clock.systemUTC());
  }

  public synchronized void started(int models, String store) {
    send(
        "Normal",
        STARTED,
        "staging " + models + " model" + (models == 1 ? "" : "s") + " into " + store);
  }

  public synchronized void staged(String model, String manifestDigest, long sizeBytes) {
    if (sent >= maxEvents - 1) {
      skippedStaged++;
      return;
    }
    send(
        "Normal",
        STAGED,
        model + " staged and verified: manifest " + manifestDigest + ", " + human(sizeBytes));
  }

  public synchronized void failed(String model, String reason) {
    if (sent >= maxEvents - 1) {
      skippedFailed++;
      return;
    }
    send("Warning", FAILED, model + " failed: " + reason);
  }

  /** The last event of the run; carries the count of model events left out. */
  public synchronized void finished(boolean ok, String summary) {
    String message = summary;
    if (skippedStaged + skippedFailed > 0) {
      message =
          message
              + " ("
              + (skippedStaged + skippedFailed)
              + " more model events not sent to bound the event count: "
              + skippedStaged
              + " staged, "
              + skippedFailed
              + " failed; the JSON summary in the log has them all)";
    }
    send(ok ? "Normal" : "Warning", ok ? FINISHED : RUN_FAILED, message);
  }

  private void send(String type, String reason, String message) {
    if (client == null || broken || sent >= maxEvents) {
      return;
    }
    sent++;
    Instant now = clock.instant();
    String timestamp = now.truncatedTo(ChronoUnit.SECONDS).toString();
    Event event =
        new EventBuilder()
            .withNewMetadata()
            .withName(
                pod.podName()
                    + "."
                    + Long.toHexString(now.toEpochMilli())
                    + sequence.incrementAndGet())
            .withNamespace(pod.namespace())
            .endMetadata()
            .withNewInvolvedObject()
            .withApiVersion("v1")
            .withKind("Pod")
            .withName(pod.podName())
            .withNamespace(pod.namespace())
            .withUid(pod.podUid().isEmpty() ? null : pod.podUid())
            .endInvolvedObject()
            .withType(type)
            .withReason(reason)
            .withMessage(clip(Redactor.redact(message)))
            .withFirstTimestamp(timestamp)
            .withLastTimestamp(timestamp)
            .withCount(1)
            .withNewSource()
            .withComponent(COMPONENT)
            .endSource()
            .withReportingComponent(COMPONENT)
            .withReportingInstance(pod.podName())
            .build();
    try {
      client.v1().events().inNamespace(pod.namespace()).resource(event).create();
    } catch (KubernetesClientException | IllegalStateException e) {
      broken = true;
      LOG.warnf(
          "cannot create Events on pod %s/%s (%s); sending no more. The ServiceAccount needs"
              + " create on events.",
          pod.namespace(), pod.podName(), e.getMessage());
    }
  }

  /** Binary units with one decimal, as the progress lines print them. */
  static String human(long bytes) {
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
    double value = bytes;
    int unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return unit == 0
        ? bytes + " B"
        : String.format(java.util.Locale.ROOT, "%.1f %s", value, units[unit]);
  }

  private static String clip(String message) {
    return message.length() <= MAX_MESSAGE ? message : message.substring(0, MAX_MESSAGE - 1) + "…";
  }
}
