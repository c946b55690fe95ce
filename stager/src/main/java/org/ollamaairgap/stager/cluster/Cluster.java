package org.ollamaairgap.stager.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ollamaairgap.common.store.StoreLayout;
import org.ollamaairgap.stager.lock.Identity;
import org.ollamaairgap.stager.lock.LeaseLock;
import org.ollamaairgap.stager.lock.LockChain;
import org.ollamaairgap.stager.lock.LockFile;
import org.ollamaairgap.stager.lock.StoreLock;

/**
 * Hands out the lock, the inventory publisher and the event publisher for a run. The Kubernetes
 * client bean is looked up only when the {@link ClusterContext} is enabled: outside a cluster it is
 * never created, so a run there costs no API timeouts and no client start-up.
 */
@ApplicationScoped
public class Cluster {
  /** How often a waiter looks at a held lock again. */
  static final Duration POLL = Duration.ofSeconds(2);

  private final Instance<KubernetesClient> clients;
  private final ObjectMapper json;
  private final Clock clock = Clock.systemUTC();

  Cluster(Instance<KubernetesClient> clients, ObjectMapper json) {
    this.clients = clients;
    this.json = json;
  }

  /** The lock for the store: in a cluster the Lease then the lock file, else the lock file. */
  public StoreLock lock(ClusterContext context, StoreLayout layout, ClusterSettings settings) {
    Identity me = Identity.current(System.getenv());
    LockFile file = new LockFile(layout, me, settings.lockStaleAfter(), POLL, clock);
    if (!context.enabled()) {
      return file;
    }
    LeaseLock lease =
        new LeaseLock(
            clients.get(),
            context.namespace(),
            layout,
            context.podName(),
            settings.lockStaleAfter(),
            POLL,
            clock);
    return new LockChain(List.of(lease, file), clock);
  }

  /** Where the inventory goes in a cluster; empty outside one. */
  public Optional<InventoryPublisher> inventory(ClusterContext context, ClusterSettings settings) {
    if (!context.enabled()) {
      return Optional.empty();
    }
    return Optional.of(
        new InventoryPublisher(
            clients.get(), context.namespace(), settings.inventoryConfigMap(), json));
  }

  /** Events on the pod in a cluster; a publisher that sends nothing outside one. */
  public EventPublisher events(ClusterContext context, ClusterSettings settings) {
    if (!context.enabled()) {
      return EventPublisher.none();
    }
    return new EventPublisher(clients.get(), context, settings.maxEvents(), clock);
  }

  /** Decides from {@code --kubernetes} and the process environment. */
  public static ClusterContext context(String mode, Map<String, String> env)
      throws org.ollamaairgap.app.UsageException {
    return ClusterContext.detect(mode, env, ClusterContext.SERVICE_ACCOUNT);
  }
}
