/**
 * The verification record: what the verifier hashed, when, and the file metadata it saw, kept
 * outside the store so that a restart can accept unchanged blobs without reading them again. What a
 * record proves, and what it does not, is stated in docs/verifier.md.
 */
package org.ollamaairgap.common.record;
