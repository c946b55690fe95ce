/**
 * The stager's options: one config mapping, its flags, and the flags layered over Quarkus' config.
 */
package org.ollamaairgap.stager.config;
