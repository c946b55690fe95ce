/** Where things live in an Ollama model store. Path arithmetic only: nothing here touches disk. */
package org.ollamaairgap.common.store;
