/**
 * What the stager tells the cluster, when it runs in one: the inventory ConfigMap and Events on its
 * pod. Nothing here is touched outside a cluster, so a run on a laptop never waits for an API
 * server that is not there.
 */
package org.ollamaairgap.stager.cluster;
