package org.ollamaairgap.stager.lock;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.jboss.logging.Logger;
import org.ollamaairgap.common.digest.Sha256;
import org.ollamaairgap.common.store.StoreLayout;

/**
 * The lock in a cluster: a {@code coordination.k8s.io/v1} Lease in the pod's namespace, named from
 * the store path, holder = the pod name. Every change is a read-modify-write that carries the
 * resourceVersion it read, so of two stagers racing for a free or expired Lease the API server
 * accepts one update and answers 409 to the other. Renewed every third of the lease duration;
 * released by clearing the holder (the Role grants no {@code delete}).
 */
public final class LeaseLock implements StoreLock {
  private static final Logger LOG = Logger.getLogger(LeaseLock.class);
  private static final Duration LOG_EVERY = Duration.ofSeconds(30);
  private static final int CONFLICT = 409;

  private final KubernetesClient client;
  private final String namespace;
  private final String name;
  private final StoreLayout layout;
  private final String identity;
  private final Duration leaseDuration;
  private final Duration poll;
  private final Clock clock;

  /**
   * @param identity the holder identity, the pod name
   * @param leaseDuration how long after its last renewal a silent holder stops blocking
   * @param poll how often a waiter looks again
   */
  public LeaseLock(
      KubernetesClient client,
      String namespace,
      StoreLayout layout,
      String identity,
      Duration leaseDuration,
      Duration poll,
      Clock clock) {
    this.client = client;
    this.namespace = namespace;
    this.name = leaseName(layout);
    this.layout = layout;
    this.identity = identity;
    this.leaseDuration = leaseDuration;
    this.poll = poll;
    this.clock = clock;
  }

  /**
   * {@code ollama-airgap-store-<12 hex of SHA-256(store path)>}: a valid object name whatever the
   * path, stable across runs and pods that mount the store at the same path.
   */
  public static String leaseName(StoreLayout layout) {
    String hex =
        Sha256.of(layout.root().toString().getBytes(StandardCharsets.UTF_8)).hex().substring(0, 12);
    return "ollama-airgap-store-" + hex;
  }

  /** The Lease's name. */
  public String name() {
    return name;
  }

  @Override
  public String describe() {
    return "Lease " + namespace + "/" + name + " for " + layout.root();
  }

  @Override
  public Held acquire(Duration wait) throws LockHeldException, LockException {
    Instant deadline = clock.instant().plus(wait);
    Instant lastLog = null;
    try {
      while (true) {
        Instant now = clock.instant();
        Lease lease = resource().get();
        if (lease == null) {
          if (create(now)) {
            LOG.infof("took the store lock: %s, holder %s", describe(), identity);
            return new LeaseHeld();
          }
          continue;
        }
        LeaseSpec spec = lease.getSpec() == null ? new LeaseSpec() : lease.getSpec();
        String holder = spec.getHolderIdentity();
        boolean free = holder == null || holder.isEmpty() || holder.equals(identity);
        if (free || expired(spec, now)) {
          if (take(lease, spec, now)) {
            if (!free) {
              LOG.warnf(
                  "took over the %s from %s: not renewed since %s (lease duration %ss)",
                  describe(), holder, spec.getRenewTime(), spec.getLeaseDurationSeconds());
            } else {
              LOG.infof("took the store lock: %s, holder %s", describe(), identity);
            }
            return new LeaseHeld();
          }
          continue;
        }
        if (!now.isBefore(deadline)) {
          throw new LockHeldException(
              holder,
              "another stager is writing this store: "
                  + describe()
                  + " is held by pod "
                  + holder
                  + " (renewed "
                  + ago(spec, now)
                  + " ago); waited "
                  + wait
                  + " (--lock-wait). Let it finish (kubectl -n "
                  + namespace
                  + " get pod "
                  + holder
                  + "); if it died, its Lease stops blocking "
                  + spec.getLeaseDurationSeconds()
                  + "s after its last renewal.");
        }
        if (lastLog == null || !now.isBefore(lastLog.plus(LOG_EVERY))) {
          lastLog = now;
          LOG.warnf(
              "the store is locked by pod %s (%s, renewed %s ago); waiting up to %s more",
              holder, describe(), ago(spec, now), Duration.between(now, deadline).withNanos(0));
        }
        Duration left = Duration.between(now, deadline);
        sleep(left.compareTo(poll) < 0 ? left : poll);
      }
    } catch (KubernetesClientException e) {
      throw new LockException(
          "cannot read or write the "
              + describe()
              + ": "
              + e.getMessage()
              + "; the stager's ServiceAccount needs get, create and update on leases"
              + " (coordination.k8s.io) in namespace "
              + namespace,
          e);
    }
  }

  private Resource<Lease> resource() {
    return client.leases().inNamespace(namespace).withName(name);
  }

  private boolean create(Instant now) {
    Lease lease = new Lease();
    lease.setMetadata(
        new ObjectMetaBuilder()
            .withName(name)
            .withNamespace(namespace)
            .withLabels(Map.of("app.kubernetes.io/name", "ollama-airgap-stager"))
            .withAnnotations(Map.of("ollama-airgap/store", layout.root().toString()))
            .build());
    LeaseSpec spec = new LeaseSpec();
    spec.setHolderIdentity(identity);
    spec.setAcquireTime(time(now));
    spec.setRenewTime(time(now));
    spec.setLeaseDurationSeconds(durationSeconds());
    spec.setLeaseTransitions(0);
    lease.setSpec(spec);
    try {
      client.leases().inNamespace(namespace).resource(lease).create();
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == CONFLICT) {
        return false; // someone created it first; read it again
      }
      throw e;
    }
  }

  /** Writes us as holder, on the resourceVersion we read; false when someone else was faster. */
  private boolean take(Lease lease, LeaseSpec spec, Instant now) {
    boolean transition = !identity.equals(spec.getHolderIdentity());
    spec.setHolderIdentity(identity);
    spec.setAcquireTime(time(now));
    spec.setRenewTime(time(now));
    spec.setLeaseDurationSeconds(durationSeconds());
    int transitions = spec.getLeaseTransitions() == null ? 0 : spec.getLeaseTransitions();
    spec.setLeaseTransitions(transition ? transitions + 1 : transitions);
    lease.setSpec(spec);
    return update(lease);
  }

  private boolean update(Lease lease) {
    try {
      client.leases().inNamespace(namespace).resource(lease).update();
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == CONFLICT) {
        return false;
      }
      throw e;
    }
  }

  private boolean expired(LeaseSpec spec, Instant now) {
    Instant renewed = renewed(spec);
    int seconds =
        spec.getLeaseDurationSeconds() == null ? durationSeconds() : spec.getLeaseDurationSeconds();
    return renewed == null || renewed.plusSeconds(seconds).isBefore(now);
  }

  private static Instant renewed(LeaseSpec spec) {
    ZonedDateTime time = spec.getRenewTime() != null ? spec.getRenewTime() : spec.getAcquireTime();
    return time == null ? null : time.toInstant();
  }

  private static String ago(LeaseSpec spec, Instant now) {
    Instant renewed = renewed(spec);
    return renewed == null ? "never" : Duration.between(renewed, now).withNanos(0).toString();
  }

  private int durationSeconds() {
    return (int) Math.max(1, leaseDuration.toSeconds());
  }

  private static ZonedDateTime time(Instant instant) {
    return instant.truncatedTo(ChronoUnit.MICROS).atZone(ZoneOffset.UTC);
  }

  private static void sleep(Duration duration) throws LockException {
    try {
      Thread.sleep(Math.max(1, duration.toMillis()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LockException("interrupted while waiting for the store lock", e);
    }
  }

  /** Our Lease, with its renewal thread. */
  private final class LeaseHeld extends RenewedHold {
    private volatile Instant lastRenewed = clock.instant();

    LeaseHeld() {
      super("stager-lease-renewal");
      startRenewing(Duration.ofMillis(Math.max(100, leaseDuration.toMillis() / 3)));
    }

    @Override
    void renew() {
      Instant now = clock.instant();
      try {
        Lease lease = resource().get();
        String holder =
            lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
        if (!identity.equals(holder)) {
          lose(
              lease == null
                  ? "the " + describe() + " was deleted"
                  : "the " + describe() + " is now held by " + holder);
          return;
        }
        lease.getSpec().setRenewTime(time(now));
        if (update(lease)) {
          lastRenewed = now;
          return;
        }
        LOG.warnf("renewing the %s conflicted with another change; retrying", describe());
      } catch (KubernetesClientException | IllegalStateException e) {
        LOG.warnf("could not renew the %s: %s", describe(), e.getMessage());
      }
      if (lastRenewed.plus(leaseDuration).isBefore(now)) {
        lose(
            "the "
                + describe()
                + " was not renewed for "
                + leaseDuration
                + "; another stager may have taken it over");
      }
    }

    @Override
    void release() {
      try {
        Lease lease = resource().get();
        if (lease != null
            && lease.getSpec() != null
            && identity.equals(lease.getSpec().getHolderIdentity())) {
          lease.getSpec().setHolderIdentity(null);
          lease.getSpec().setAcquireTime(null);
          lease.getSpec().setRenewTime(null);
          if (update(lease)) {
            LOG.infof("released the store lock: %s", describe());
          }
        }
      } catch (KubernetesClientException e) {
        LOG.warnf(
            "could not release the %s (%s); it stops blocking after %s",
            describe(), e.getMessage(), leaseDuration);
      }
    }
  }
}
