/**
 * What the stager and the verifier share around the store model: {@link
 * org.ollamaairgap.app.ExitCode}, the start-up failure rule ({@link
 * org.ollamaairgap.app.StartupFailure}), the command line ({@code cli}) and the output files and
 * formats ({@code output}). Nothing here needs Quarkus to be running, so {@code --help}, {@code
 * --version} and usage errors are answered before Quarkus starts and binds its port.
 */
package org.ollamaairgap.app;
