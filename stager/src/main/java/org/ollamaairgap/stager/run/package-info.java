/**
 * The staging run around the drivers: validation, target and space checks, staging model by model,
 * re-verification and the per-model outcome. Plain classes, testable without Quarkus.
 */
package org.ollamaairgap.stager.run;
