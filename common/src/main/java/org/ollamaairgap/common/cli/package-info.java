/**
 * Command-line flags mapped onto configuration properties, so that every option is both a flag and
 * an environment variable and {@code --help} lists them all. The apps layer the parsed flags over
 * their other configuration sources.
 */
package org.ollamaairgap.common.cli;
