/** Checking what is in a store against its manifests: the integrity gate Ollama itself lacks. */
package org.ollamaairgap.common.verify;
