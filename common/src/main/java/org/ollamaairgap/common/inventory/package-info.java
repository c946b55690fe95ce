/**
 * The store inventory, {@code <store>/.ollama-airgap/inventory.json}: which models the store holds
 * (canonical name, manifest digest, size, blobs) and, per blob, the SHA-256 of each fixed-size
 * chunk, computed from the same bytes whose whole SHA-256 matched the blob's name. Its own SHA-256
 * is the <em>inventory digest</em> production pins.
 */
package org.ollamaairgap.common.inventory;
