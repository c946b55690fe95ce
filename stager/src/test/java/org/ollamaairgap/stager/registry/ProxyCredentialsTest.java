package org.ollamaairgap.stager.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ollamaairgap.testing.SyntheticModel;

/**
 * Behind an authenticating corporate proxy (issue 16): {@code --https-proxy
 * http://user:pass@host:port} reaches an HTTPS registry through a CONNECT proxy that demands Basic
 * credentials, and the password shows up nowhere: not in the log, the summary, the report, the
 * termination log or {@code --help}.
 */
@QuarkusMainTest
class ProxyCredentialsTest {
  private static final String PASSWORD = "pr0xy-Pa55word";

  @TempDir Path tmp;

  @Test
  void authenticatingProxy_stagesAndTheCredentialsAppearNowhere(QuarkusMainLauncher launcher)
      throws Exception {
    TestTls tls = TestTls.create(Files.createDirectories(tmp.resolve("keys")));
    Path models = tmp.resolve("models");
    Path report = tmp.resolve("report.json");
    Path terminationLog = Files.createFile(tmp.resolve("termination-log"));
    try (FakeRegistry registry = new FakeRegistry("127.0.0.1", tls.server());
        ConnectProxy proxy = new ConnectProxy()) {
      SyntheticModel m = SyntheticModel.typical(registry.hostPort() + "/library/m:1", 3, 100_000);
      registry.push(m);
      proxy.requiredAuthorization =
          "Basic "
              + Base64.getEncoder()
                  .encodeToString(("corp-user:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
      String proxyUrl = proxy.url().replace("http://", "http://corp-user:" + PASSWORD + "@");

      LaunchResult result =
          launcher.launch(
              "--driver",
              "registry",
              "--ca-bundle",
              tls.caPem().toString(),
              "--https-proxy",
              proxyUrl,
              "--linger",
              "0",
              "--kubernetes",
              "false",
              "--models-dir",
              models.toString(),
              "--report",
              report.toString(),
              "--termination-log",
              terminationLog.toString(),
              m.name().toString());
      // --help shows the value from the configuration (HTTPS_PROXY in a pod).
      System.setProperty("stager.https-proxy", proxyUrl);
      LaunchResult help;
      try {
        help = launcher.launch("--help");
      } finally {
        System.clearProperty("stager.https-proxy");
      }

      assertThat(result.exitCode()).as(result.getOutput()).isZero();
      assertThat(proxy.requests).isNotEmpty();
      assertThat(proxy.authorizations).contains(proxy.requiredAuthorization);
      String everything =
          result.getOutput()
              + result.getErrorOutput()
              + help.getOutput()
              + Files.readString(report)
              + Files.readString(terminationLog);
      assertThat(everything)
          .doesNotContain(PASSWORD)
          .doesNotContain(proxy.requiredAuthorization.substring(6));
      assertThat(help.getOutput()).contains("http://***@127.0.0.1:");
    }
  }
}
