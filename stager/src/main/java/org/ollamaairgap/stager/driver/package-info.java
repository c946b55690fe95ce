/**
 * How models get into the store. Two drivers, one behaviour: {@code ollama} drives Ollama's own
 * pull over its HTTP API, {@code registry} speaks the registry protocol and writes Ollama's layout
 * itself. The staging run around them (validation, space check, re-verification, metrics, summary)
 * is the same for both.
 */
package org.ollamaairgap.stager.driver;
