/**
 * One writer per store: a Kubernetes Lease in a cluster, a lock file in the store's own working
 * directory elsewhere. Both are acquired before the first write, renewed while the run goes on and
 * released at its end; a dead holder stops blocking once its heartbeat is older than a set time.
 */
package org.ollamaairgap.stager.lock;
