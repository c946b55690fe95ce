/**
 * Pacing reads: a bytes-per-second budget over a verification pass, so that a long-running verifier
 * never takes the NFS bandwidth that inference needs.
 */
package org.ollamaairgap.common.pace;
