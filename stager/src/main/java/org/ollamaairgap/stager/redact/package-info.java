/**
 * The one place credentials are taken out of text the stager shows: log lines, the summary, the
 * report, the termination log, Kubernetes Events and {@code --help}.
 */
package org.ollamaairgap.stager.redact;
