/**
 * Where each model of a run stands: one tracker counts the drivers' events, and the metrics,
 * health, progress lines and summary read from it.
 */
package org.ollamaairgap.stager.progress;
