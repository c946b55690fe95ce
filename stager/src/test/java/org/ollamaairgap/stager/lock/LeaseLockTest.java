package org.ollamaairgap.stager.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseSpec;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ollamaairgap.common.store.StoreLayout;
import org.ollamaairgap.stager.testing.MockApi;

/** The Lease against the contract, on a mock API server, plus what only a Lease has. */
class LeaseLockTest extends StoreLockContract {
  private static final String NS = "ollama-staging";
  private static final StoreLayout STORE = new StoreLayout(Path.of("/models"));
  private static final Duration POLL = Duration.ofMillis(20);

  private final MockApi api = new MockApi();

  @AfterEach
  void stop() {
    api.close();
  }

  private LeaseLock lock(String pod, Duration duration) {
    return new LeaseLock(api.newClient(), NS, STORE, pod, duration, POLL, Clock.systemUTC());
  }

  private Lease lease() {
    return api.client().leases().inNamespace(NS).withName(LeaseLock.leaseName(STORE)).get();
  }

  @Override
  LeaseLock lock(String owner) {
    return lock(owner, Duration.ofSeconds(30));
  }

  @Override
  StoreLock quickLock(String owner) {
    return lock(owner, Duration.ofMillis(600));
  }

  @Override
  void seedDeadHolder(String owner) {
    seed(owner, Instant.now().minus(Duration.ofHours(1)), 30);
  }

  @Override
  Optional<String> storedHolder() {
    Lease lease = lease();
    return lease == null
        ? Optional.empty()
        : Optional.ofNullable(lease.getSpec().getHolderIdentity());
  }

  @Override
  void takeOverBehindItsBack(String owner) {
    Lease lease = lease();
    lease.getSpec().setHolderIdentity(owner);
    api.client().leases().inNamespace(NS).resource(lease).update();
  }

  @Override
  String renewalStamp() {
    return String.valueOf(lease().getSpec().getRenewTime());
  }

  @Override
  String holderText(String owner) {
    return owner;
  }

  @Override
  void checkHeldMessage(String message, Duration waited) {
    assertThat(message)
        .startsWith(
            "another stager is writing this store: Lease ollama-staging/"
                + LeaseLock.leaseName(STORE)
                + " for /models is held by pod stager-a (renewed PT")
        .endsWith(
            " ago); waited "
                + waited
                + " (--lock-wait). Let it finish (kubectl -n ollama-staging get pod"
                + " stager-a); if it died, its Lease stops blocking 30s after its last renewal.");
  }

  @Override
  String lostText(String owner) {
    return "the Lease ollama-staging/"
        + LeaseLock.leaseName(STORE)
        + " for /models is now held by "
        + owner;
  }

  @Test
  void leaseName_isAValidObjectNameFromTheStorePath() {
    assertThat(LeaseLock.leaseName(STORE)).matches("ollama-airgap-store-[0-9a-f]{12}");
    assertThat(LeaseLock.leaseName(new StoreLayout(Path.of("/other"))))
        .isNotEqualTo(LeaseLock.leaseName(STORE));
  }

  @Test
  void acquire_noLease_createsItWithUsAsHolder() throws Exception {
    try (StoreLock.Held held = lock("stager-a", Duration.ofSeconds(30)).acquire(Duration.ZERO)) {
      Lease lease = lease();
      assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("stager-a");
      assertThat(lease.getSpec().getLeaseDurationSeconds()).isEqualTo(30);
      assertThat(lease.getSpec().getRenewTime()).isNotNull();
      assertThat(lease.getMetadata().getAnnotations())
          .containsEntry("ollama-airgap/store", "/models");
      assertThat(held.lost()).isEmpty();
    }
  }

  @Test
  void acquire_expiredLeaseOfADeadPod_countsATransition() throws Exception {
    seedDeadHolder("dead-pod");
    try (StoreLock.Held held = lock("stager-b").acquire(Duration.ZERO)) {
      assertThat(lease().getSpec().getHolderIdentity()).isEqualTo("stager-b");
      assertThat(lease().getSpec().getLeaseTransitions()).isEqualTo(1);
    }
  }

  /** Released, the Lease stays with no holder, so the next stager takes it at once. */
  @Test
  void close_clearsTheHolder() throws Exception {
    lock("stager-a").acquire(Duration.ZERO).close();
    assertThat(lease().getSpec().getHolderIdentity()).isNull();
  }

  @Test
  void mockServer_rejectsAnUpdateOnAStaleResourceVersion() {
    seed("dead-pod", Instant.now(), 30);
    Lease first = lease();
    Lease second = lease();
    first.getSpec().setHolderIdentity("a");
    api.client().leases().inNamespace(NS).resource(first).update();
    second.getSpec().setHolderIdentity("b");
    assertThatThrownBy(() -> api.client().leases().inNamespace(NS).resource(second).update())
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
  }

  private void seed(String holder, Instant renewed, int seconds) {
    LeaseSpec spec = new LeaseSpec();
    spec.setHolderIdentity(holder);
    spec.setRenewTime(renewed.atZone(ZoneOffset.UTC));
    spec.setAcquireTime(renewed.atZone(ZoneOffset.UTC));
    spec.setLeaseDurationSeconds(seconds);
    Lease lease = new Lease();
    lease.setMetadata(
        new ObjectMetaBuilder().withName(LeaseLock.leaseName(STORE)).withNamespace(NS).build());
    lease.setSpec(spec);
    api.client().leases().inNamespace(NS).resource(lease).create();
  }
}
