/** Liveness (DOWN on a stalled transfer) and readiness of the stager on the management port. */
package org.ollamaairgap.stager.health;
