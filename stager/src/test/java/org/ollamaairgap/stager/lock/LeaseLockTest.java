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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ollamaairgap.common.store.StoreLayout;
import org.ollamaairgap.stager.testing.MockApi;

class LeaseLockTest {
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
  void acquire_heldByAnotherPod_waitsThenFailsNamingIt() throws Exception {
    try (StoreLock.Held held = lock("stager-a", Duration.ofSeconds(30)).acquire(Duration.ZERO)) {
      assertThatThrownBy(
              () -> lock("stager-b", Duration.ofSeconds(30)).acquire(Duration.ofMillis(200)))
          .isInstanceOfSatisfying(
              LockHeldException.class, e -> assertThat(e.holder()).isEqualTo("stager-a"))
          .hasMessageStartingWith(
              "another stager is writing this store: Lease ollama-staging/"
                  + LeaseLock.leaseName(STORE)
                  + " for /models is held by pod stager-a (renewed PT")
          .hasMessageEndingWith(
              " ago); waited PT0.2S (--lock-wait). Let it finish (kubectl -n ollama-staging get pod"
                  + " stager-a); if it died, its Lease stops blocking 30s after its last renewal.");
      assertThat(lease().getSpec().getHolderIdentity()).isEqualTo("stager-a");
    }
  }

  @Test
  void acquire_expiredLeaseOfADeadPod_isTakenOver() throws Exception {
    seed("dead-pod", Instant.now().minus(Duration.ofHours(1)), 30);
    try (StoreLock.Held held = lock("stager-b", Duration.ofSeconds(30)).acquire(Duration.ZERO)) {
      assertThat(lease().getSpec().getHolderIdentity()).isEqualTo("stager-b");
      assertThat(lease().getSpec().getLeaseTransitions()).isEqualTo(1);
    }
  }

  @Test
  void close_clearsTheHolder_andTheNextStagerTakesItAtOnce() throws Exception {
    lock("stager-a", Duration.ofSeconds(30)).acquire(Duration.ZERO).close();
    assertThat(lease().getSpec().getHolderIdentity()).isNull();
    try (StoreLock.Held held = lock("stager-b", Duration.ofSeconds(30)).acquire(Duration.ZERO)) {
      assertThat(lease().getSpec().getHolderIdentity()).isEqualTo("stager-b");
    }
  }

  @Test
  void held_isRenewedWhileRunning() throws Exception {
    try (StoreLock.Held held = lock("stager-a", Duration.ofMillis(600)).acquire(Duration.ZERO)) {
      var acquired = lease().getSpec().getRenewTime();
      Instant until = Instant.now().plusSeconds(30);
      while (!lease().getSpec().getRenewTime().isAfter(acquired) && Instant.now().isBefore(until)) {
        Thread.sleep(20);
      }
      assertThat(lease().getSpec().getRenewTime()).isAfter(acquired);
      assertThat(held.lost()).isEmpty();
    }
  }

  @Test
  void held_takenOverBySomeoneElse_reportsItLost() throws Exception {
    try (StoreLock.Held held = lock("stager-a", Duration.ofMillis(600)).acquire(Duration.ZERO)) {
      Lease lease = lease();
      lease.getSpec().setHolderIdentity("stager-b");
      api.client().leases().inNamespace(NS).resource(lease).update();
      Instant until = Instant.now().plusSeconds(30);
      while (held.lost().isEmpty() && Instant.now().isBefore(until)) {
        Thread.sleep(20);
      }
      assertThat(held.lost())
          .hasValue(
              "the Lease ollama-staging/"
                  + LeaseLock.leaseName(STORE)
                  + " for /models is now held by stager-b");
    }
    assertThat(lease().getSpec().getHolderIdentity()).isEqualTo("stager-b");
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

  /** All see the same expired Lease; resourceVersion lets exactly one update win. */
  @Test
  void acquire_manyPodsOnOneExpiredLease_exactlyOneWins() throws Exception {
    seed("dead-pod", Instant.now().minus(Duration.ofHours(1)), 30);
    int pods = 6;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(pods);
    List<Future<StoreLock.Held>> results = new ArrayList<>();
    for (int i = 0; i < pods; i++) {
      LeaseLock lock = lock("stager-" + i, Duration.ofSeconds(30));
      Callable<StoreLock.Held> task =
          () -> {
            start.await();
            return lock.acquire(Duration.ZERO);
          };
      results.add(pool.submit(task));
    }
    start.countDown();
    int won = 0;
    List<String> holders = new ArrayList<>();
    for (Future<StoreLock.Held> result : results) {
      try {
        result.get();
        won++;
      } catch (ExecutionException e) {
        holders.add(((LockHeldException) e.getCause()).holder());
      }
    }
    pool.shutdownNow();
    assertThat(won).isEqualTo(1);
    assertThat(holders).hasSize(pods - 1).containsOnly(lease().getSpec().getHolderIdentity());
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
