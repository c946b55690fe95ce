package org.ollamaairgap.stager.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ollamaairgap.stager.testing.StageFailures.assertStageFailure;

import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
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
    Path ks = keys.resolve("registry.p12");
    keytool(
        "-genkeypair",
        "-alias",
        "registry",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=127.0.0.1",
        "-ext",
        "san=ip:127.0.0.1,dns:localhost",
        "-validity",
        "2",
        "-storetype",
        "PKCS12",
        "-keystore",
        ks.toString(),
        "-storepass",
        "changeit",
        "-keypass",
        "changeit");
    caPem = keys.resolve("ca.pem");
    keytool(
        "-exportcert",
        "-rfc",
        "-alias",
        "registry",
        "-keystore",
        ks.toString(),
        "-storepass",
        "changeit",
        "-file",
        caPem.toString());
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(ks)) {
      store.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(store, "changeit".toCharArray());
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(kmf.getKeyManagers(), null, null);
    registry = new FakeRegistry("127.0.0.1", tls);
    model = SyntheticModel.typical(registry.hostPort() + "/library/m:1", 1, 200_000);
    registry.push(model);
  }

  @AfterAll
  static void stop() {
    registry.close();
  }

  static void keytool(String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out =
        new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isZero();
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
      d.stage(model.name(), d.resolve(model.name()), PullListener.NONE);
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
