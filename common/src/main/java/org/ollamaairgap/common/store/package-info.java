/**
 * Where things live in an Ollama model store ({@link org.ollamaairgap.common.store.StoreLayout},
 * pure path arithmetic) and how staged files get there ({@link
 * org.ollamaairgap.common.store.StoreWriter}, the only class here that writes).
 */
package org.ollamaairgap.common.store;
