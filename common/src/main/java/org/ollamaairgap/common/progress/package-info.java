/**
 * Progress as data: the pulling and verifying code reports events through listeners, and the apps
 * turn them into metrics, health and log lines. Nothing in {@code common} logs or prints.
 */
package org.ollamaairgap.common.progress;
