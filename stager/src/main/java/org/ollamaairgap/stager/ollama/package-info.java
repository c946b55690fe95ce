/**
 * The {@code ollama} driver: stages models by driving an Ollama server's {@code POST /api/pull}
 * stream, either on an existing server ({@code OLLAMA_HOST}) or on an {@code ollama serve} child
 * process it starts itself. Framework-free: the app builds an {@link
 * org.ollamaairgap.stager.ollama.OllamaDriver} from an {@link
 * org.ollamaairgap.stager.ollama.OllamaOptions}.
 */
package org.ollamaairgap.stager.ollama;
