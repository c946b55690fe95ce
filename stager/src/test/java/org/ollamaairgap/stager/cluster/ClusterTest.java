package org.ollamaairgap.stager.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ollamaairgap.common.progress.Outcome;
import org.ollamaairgap.common.store.StoreLayout;
import org.ollamaairgap.stager.inventory.Inventory;
import org.ollamaairgap.stager.inventory.InventoryModel;
import org.ollamaairgap.stager.lock.LeaseLock;
import org.ollamaairgap.stager.lock.LockFile;
import org.ollamaairgap.stager.lock.StoreLock;

/** The CDI wiring against Quarkus' Kubernetes mock server (CRUD mode). */
@QuarkusTest
@WithKubernetesTestServer
class ClusterTest {
  private static final String NS = "ollama-staging";
  private static final ClusterContext POD = new ClusterContext(true, NS, "stager-pod-1", "");
  private static final ClusterSettings SETTINGS =
      new ClusterSettings(Duration.ZERO, Duration.ofMinutes(2), "ollama-airgap-inventory", 20);

  @KubernetesTestServer KubernetesServer server;

  @Inject Cluster cluster;

  @TempDir Path store;

  @Test
  void inCluster_lockTakesTheLeaseAndTheLockFile_andReleasesBoth() throws Exception {
    StoreLayout layout = new StoreLayout(store);
    StoreLock lock = cluster.lock(POD, layout, SETTINGS);
    assertThat(lock.describe())
        .isEqualTo(
            "Lease ollama-staging/"
                + LeaseLock.leaseName(layout)
                + " for "
                + store
                + " and lock file "
                + new StoreLayout(store).lockFile());
    try (StoreLock.Held held = lock.acquire(Duration.ZERO)) {
      assertThat(lease(layout).getSpec().getHolderIdentity()).isEqualTo("stager-pod-1");
      assertThat(new StoreLayout(store).lockFile()).exists();
    }
    assertThat(lease(layout).getSpec().getHolderIdentity()).isNull();
    assertThat(new StoreLayout(store).lockFile()).doesNotExist();
  }

  @Test
  void inCluster_inventoryGoesToTheConfigMap_andEventsToThePod() throws Exception {
    cluster
        .inventory(POD, SETTINGS)
        .orElseThrow()
        .publish(
            new Inventory(
                "/models",
                "2026-11-29T05:00:00Z",
                "stager-pod-1",
                List.of(
                    new InventoryModel(
                        "registry.ollama.ai/library/llama3.2:3b",
                        "sha256:" + "d".repeat(64),
                        10,
                        2,
                        "2026-11-29T04:00:00Z",
                        Outcome.DONE,
                        null))));
    ConfigMap map =
        server.getClient().configMaps().inNamespace(NS).withName("ollama-airgap-inventory").get();
    assertThat(map.getData().get("expect"))
        .isEqualTo("registry.ollama.ai/library/llama3.2:3b@sha256:" + "d".repeat(64));

    EventPublisher events = cluster.events(POD, SETTINGS);
    events.started(1, "/models");
    events.finished(true, "staged and verified 1 model");
    assertThat(server.getClient().v1().events().inNamespace(NS).list().getItems())
        .extracting(e -> e.getReason())
        .containsExactlyInAnyOrder("StagingStarted", "StagingFinished");
  }

  @Test
  void outsideACluster_lockFileOnly_noConfigMap() throws Exception {
    StoreLayout layout = new StoreLayout(store);
    StoreLock lock = cluster.lock(ClusterContext.disabled(), layout, SETTINGS);
    assertThat(lock).isInstanceOf(LockFile.class);
    assertThat(cluster.inventory(ClusterContext.disabled(), SETTINGS)).isEmpty();
    lock.acquire(Duration.ZERO).close();
    assertThat(Files.list(new StoreLayout(store).workDir())).isEmpty();
  }

  private Lease lease(StoreLayout layout) {
    return server.getClient().leases().inNamespace(NS).withName(LeaseLock.leaseName(layout)).get();
  }
}
