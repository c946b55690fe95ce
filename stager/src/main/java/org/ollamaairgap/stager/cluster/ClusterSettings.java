package org.ollamaairgap.stager.cluster;

import java.time.Duration;

/**
 * The options of the single-writer lock and the cluster reporting, as the run passes them on.
 *
 * @param lockWait how long to wait for another stager's lock before exit 3 ({@code --lock-wait})
 * @param lockStaleAfter a holder silent this long stops blocking: the lock file's staleness and the
 *     Lease's duration ({@code --lock-stale-after})
 * @param inventoryConfigMap the ConfigMap the inventory goes to ({@code --inventory-configmap})
 * @param maxEvents Kubernetes Events per run at most ({@code --max-events})
 */
public record ClusterSettings(
    Duration lockWait, Duration lockStaleAfter, String inventoryConfigMap, int maxEvents) {}
