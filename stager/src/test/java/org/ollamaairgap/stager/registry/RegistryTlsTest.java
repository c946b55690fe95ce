package org.ollamaairgap.stager.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ollamaairgap.stager.testing.StageFailures.assertStageFailure;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ollamaairgap.common.progress.PullListener;
import org.ollamaairgap.common.store.StoreLayout;
import org.ollamaairgap.stager.driver.StageException;
import org.ollamaairgap.stager.driver.StageException.Reason;
import org.ollamaairgap.stager.testing.TestOptions;
import org.ollamaairgap.testing.SyntheticModel;

/**
 * HTTPS registries: a private CA is refused by default with advice, trusted with the CA bundle
 * option, and reached through an HTTPS (CONNECT) proxy unless the host is in the no-proxy list.
 */
class RegistryTlsTest {
  @TempDir static Path keys;
  static Path caPem;
  static FakeRegistry registry;
  static SyntheticModel model;
  @TempDir Path store;

  @BeforeAll
  static void startHttpsRegistry() throws Exception {
    TestTls tls = TestTls.create(keys);
    caPem = tls.caPem();
    registry = new FakeRegistry("127.0.0.1", tls.server());
    model = SyntheticModel.typical(registry.hostPort() + "/library/m:1", 1, 200_000);
    registry.push(model);
  }

  @AfterAll
  static void stop() {
    registry.close();
  }

  TestOptions.Registry options() {
    return TestOptions.registry()
        .parts(2)
        .partSize(64 * 1024)
        .retries(2)
        .sleeper(d -> {})
        .stallTimeout(Duration.ofSeconds(10));
  }

  void stage(RegistryOptions options) throws StageException {
    try (RegistryDriver d = new RegistryDriver(new StoreLayout(store), options)) {
      d.commit(model.name(), d.stage(model.name(), d.resolve(model.name()), PullListener.NONE));
    }
  }

  @Test
  void privateCa_withoutBundle_failsAtOnceWithAdvice() {
    assertStageFailure(() -> stage(options().build()), Reason.REMOTE_ERROR)
        .startsWith("TLS with " + registry.hostPort() + " failed: ")
        .endsWith(
            "; if the registry, mirror or a TLS-inspecting proxy uses a private CA,"
                + " pass its certificate with --ca-bundle");
  }

  @Test
  void privateCa_withBundle_stages() throws Exception {
    stage(options().caBundle(caPem).build());

    assertThat(new StoreLayout(store).manifest(model.name()))
        .hasBinaryContent(model.manifestBytes());
  }

  @Test
  void httpsProxy_tunnelsEveryRequest_unlessNoProxy() throws Exception {
    try (ConnectProxy proxy = new ConnectProxy()) {
      stage(options().caBundle(caPem).env("https_proxy", proxy.url()).build());

      assertThat(proxy.requests)
          .isNotEmpty()
          .allSatisfy(
              r -> assertThat(r).startsWith("CONNECT " + registry.hostPort() + " HTTP/1.1"));
      int before = proxy.requests.size();
      Files.delete(new StoreLayout(store).manifest(model.name()));
      stage(
          options()
              .caBundle(caPem)
              .env("https_proxy", proxy.url())
              .env("NO_PROXY", "127.0.0.1")
              .build());
      assertThat(proxy.requests).hasSize(before);
    }
  }

  @Test
  void authenticatingProxy_getsBasicCredentialsFromTheProxyUrlOnly() throws Exception {
    try (ConnectProxy proxy = new ConnectProxy()) {
      String basic =
          "Basic "
              + java.util.Base64.getEncoder()
                  .encodeToString(
                      "alice:s3cr%t@x".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      proxy.requiredAuthorization = basic;
      RegistryOptions viaProxy =
          options()
              .caBundle(caPem)
              .env("HTTPS_PROXY", proxy.url().replace("http://", "http://alice:s3cr%25t%40x@"))
              .build();
      registry.requests.clear();

      stage(viaProxy);

      assertThat(new StoreLayout(store).manifest(model.name()))
          .hasBinaryContent(model.manifestBytes());
      assertThat(proxy.authorizations).contains(basic);
      assertThat(registry.requests)
          .isNotEmpty()
          .allSatisfy(r -> assertThat(r.authorization()).isNull());
    }
  }

  @Test
  void proxyFromEnvironment_prefersUpperCaseAndParsesNoProxy() {
    RegistryOptions o =
        TestOptions.registry()
            .env("HTTPS_PROXY", "proxy.corp:3128")
            .env("https_proxy", "http://other:1")
            .env("NO_PROXY", " .internal, Registry.Local ,")
            .build();

    assertThat(o.httpsProxy()).isEqualTo(URI.create("http://proxy.corp:3128"));
    assertThat(o.noProxy()).containsExactly(".internal", "registry.local");
  }
}
