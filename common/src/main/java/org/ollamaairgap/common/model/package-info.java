/** Ollama's vocabulary: model names, digests and manifests. Parsing and validation only, no I/O. */
package org.ollamaairgap.common.model;
