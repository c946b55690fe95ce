/** Streaming SHA-256 of files and streams with bounded memory. */
package org.ollamaairgap.common.digest;
