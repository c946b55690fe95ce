/**
 * The {@code registry} driver: speaks the registry protocol as Ollama does (manifest, then blobs in
 * parallel Range parts with resume state) and writes Ollama's exact layout, with no framework so
 * tests and benchmarks build it with a constructor.
 */
package org.ollamaairgap.stager.registry;
