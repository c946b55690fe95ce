/** The stager's Prometheus series: a Micrometer adapter over the progress tracker. */
package org.ollamaairgap.stager.metrics;
