/**
 * Test fixtures shared by every module (exported in common's test-jar): synthetic models, a real
 * Docker registry and nginx as CDN or fault injector, all on 127.0.0.1 with free ports.
 *
 * <p>Typical use in a JUnit 5 test (the {@link org.ollamaairgap.testing.Fixtures} extension stops
 * every server after the test, even when it fails):
 *
 * <pre>{@code
 * @RegisterExtension final Fixtures fixtures = new Fixtures();
 *
 * @Test
 * void pullsThroughTheCdn() throws Exception {
 *   SyntheticModel model = SyntheticModel.typical("tiny", 1, 1 << 20);
 *   RegistryWithCdn registry =
 *       fixtures.registryWithCdn(cdn -> cdn.fault("/docker/", Fault.truncateAfter(4096).times(1)));
 *   registry.push(model);
 *   // pull from registry.registryUrl(): manifests come from it, blobs answer 307 to the CDN,
 *   // whose first GET per blob breaks after 4096 bytes.
 *   long wire = registry.cdn().bytesSent("/docker/");
 * }
 * }</pre>
 *
 * <p>Without the extension, every fixture is {@link java.lang.AutoCloseable} for
 * try-with-resources: {@code LocalRegistry.start(dir)}, {@code Nginx.builder(dir).proxy(registry)
 * .fault("/v2/", Fault.unavailable(2).times(3)).start()}, {@code RegistryWithCdn.start(dir)}.
 *
 * <p>They need Debian's {@code docker-registry}, {@code nginx} and {@code libnginx-mod-http-perl}
 * (installed by {@code .ci/run}); a missing one fails the test with the apt command to run.
 */
package org.ollamaairgap.testing;
