/** The run's outcome for people and tools: JSON summary, report file, termination log. */
package org.ollamaairgap.stager.report;
