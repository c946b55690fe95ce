/**
 * {@code stager export} and {@code stager import}: the command line around the bundle engine of
 * {@code common} ({@link org.ollamaairgap.common.bundle}). Both run before Quarkus starts, so they
 * bind no port and an export's tar stream owns standard output.
 */
package org.ollamaairgap.stager.bundle;
