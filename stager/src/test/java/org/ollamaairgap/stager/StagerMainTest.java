package org.ollamaairgap.stager;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.main.Launch;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ollamaairgap.app.cli.Setting;
import org.ollamaairgap.common.digest.Sha256;
import org.ollamaairgap.stager.cli.StagerCommand;
import org.ollamaairgap.testing.OpensslKeys;

/** The program as the Job runs it: flags, exit codes, summary, report and termination log. */
@QuarkusMainTest
class StagerMainTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  /** The JSON summary: the last line of stdout. */
  private static JsonNode summary(LaunchResult result) throws Exception {
    List<String> lines = result.getOutputStream();
    return JSON.readTree(lines.get(lines.size() - 1));
  }

  @Test
  @Launch({"--help"})
  void help_listsEveryFlagWithEnvAndDefault(LaunchResult result) {
    String help = result.getOutput();
    assertThat(help)
        .startsWith("Usage: stager [OPTIONS] [NAME...] [COMMAND]\nStages Ollama models");
    for (Setting option : StagerCommand.SETTINGS) {
      assertThat(help).contains("      " + option.flag()).contains("env " + option.env() + ";");
    }
    assertThat(help)
        .contains("env STAGER_DRIVER; default: ollama\n")
        .contains("env STAGER_STALL_TIMEOUT; default: 5m\n")
        .contains("env STAGER_LINGER; default: 30s\n")
        .contains("env STAGER_PROGRESS_INTERVAL; default: 10s\n")
        .contains("env STAGER_TERMINATION_LOG; default: /dev/termination-log\n")
        .contains("env STAGER_PARTS; default: 16\n")
        .contains("env STAGER_REPORT; default: (none)\n")
        .contains("env OLLAMA_MODELS; default: " + System.getProperty("user.home"))
        .contains("Environment:\n  QUARKUS_MANAGEMENT_PORT  Port of /q/metrics and /q/health")
        .contains("  -h, --help ", "  -V, --version ");
    // No default that the description contradicts.
    assertThat(help).doesNotContain("default: PATH", "defaults to HTTPS_PROXY");
  }

  @Test
  @Launch({"--driver", "registry", "--linger=0", "--help"})
  void help_saysWhereAValueCameFrom(LaunchResult result) {
    assertThat(result.getOutput())
        .contains("env STAGER_DRIVER; now: registry (from --driver)\n")
        .contains("env STAGER_LINGER; now: 0 (from --linger)\n")
        .contains("env STAGER_STALL_TIMEOUT; default: 5m\n");
  }

  @Test
  @Launch({"--version"})
  void version_printsTheProjectVersion(LaunchResult result) {
    assertThat(result.getOutput().strip()).matches("stager \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
  }

  @Test
  @Launch(
      value = {"--no-such-flag"},
      exitCode = 2)
  void unknownFlag_exits2(LaunchResult result) throws Exception {
    assertThat(result.getOutput()).contains("unknown option '--no-such-flag'; see stager --help");
    assertThat(summary(result).get("outcome").asText()).isEqualTo("usage");
  }

  @Test
  @Launch(
      value = {"--model-dir", "/x", "llama3:8b"},
      exitCode = 2)
  void mistypedFlag_exits2NamingTheNearest(LaunchResult result) throws Exception {
    assertThat(summary(result).get("reason").asText())
        .isEqualTo("unknown option '--model-dir' (did you mean --models-dir?); see stager --help");
  }

  @Test
  void badValue_exits2WithTheFlagAndVariable(QuarkusMainLauncher launcher) throws Exception {
    LaunchResult result = launcher.launch("--linger", "soon", "ok-a:1");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(summary(result).get("reason").asText())
        .isEqualTo(
            "--linger (STAGER_LINGER): 'soon' is not a duration (e.g. 500ms, 30s, 5m, 2h, 7d);"
                + " see stager --help");
    assertThat(result.getErrorOutput())
        .contains("stager: --linger (STAGER_LINGER): 'soon'")
        .doesNotContain("SRCFG", "Exception", "\tat ");
  }

  @Test
  void ollamaDriver_withoutHostOrBinary_exits3NamingTheBinary(QuarkusMainLauncher launcher) {
    Path models = tmp.resolve("models");
    Path missing = tmp.resolve("no-such-dir/ollama");
    LaunchResult result =
        launcher.launch(
            "--models-dir", models.toString(), "--ollama-bin", missing.toString(), "llama3:8b");

    assertThat(result.exitCode()).isEqualTo(3);
    assertThat(result.getOutput()).contains("the ollama binary " + missing + " does not exist");
    assertThat(models.resolve("manifests")).doesNotExist();
    assertThat(models.resolve("blobs")).doesNotExist();
  }

  @Test
  void badName_exits2AndTouchesNothing(QuarkusMainLauncher launcher) throws Exception {
    Path models = tmp.resolve("models");
    Path report = tmp.resolve("report.json");
    LaunchResult result =
        launcher.launch(
            "--driver=fake",
            "--models-dir",
            models.toString(),
            "--report",
            report.toString(),
            "--linger=0",
            "--models",
            "ok-a:1,bad name");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(summary(result).get("reason").asText()).startsWith("invalid model name 'bad name'");
    assertThat(models).doesNotExist();
    assertThat(report).doesNotExist();
  }

  /** What {@code ollama pull} would take but cannot work here: exit 2, a message, no trace. */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "127.0.0.1:99999/ns/m | invalid model name '127.0.0.1:99999/ns/m': the port 99999 in the"
            + " host '127.0.0.1:99999' is out of range; a port is 1 to 65535",
        "gpt-oss:20b:cloud | invalid model name 'gpt-oss:20b:cloud': ':cloud' names an Ollama cloud"
            + " model",
      })
  void unusableName_exits2WithAMessage(String name, String reason, QuarkusMainLauncher launcher)
      throws Exception {
    Path models = tmp.resolve("models");
    LaunchResult result =
        launcher.launch(
            "--driver=fake", "--models-dir", models.toString(), "--linger=0", "--models", name);

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(summary(result).get("reason").asText()).startsWith(reason);
    assertThat(result.getOutput() + result.getErrorOutput()).doesNotContain("\tat ");
    assertThat(models).doesNotExist();
  }

  @Test
  void oneModelFails_exits1_withSummaryReportAndTerminationLog(QuarkusMainLauncher launcher)
      throws Exception {
    Path models = tmp.resolve("models");
    Path report = Files.createDirectories(tmp.resolve("out")).resolve("report.json");
    Path terminationLog = Files.createFile(tmp.resolve("termination-log"));

    LaunchResult result =
        launcher.launch(
            "--driver",
            "fake",
            "--models-dir",
            models.toString(),
            "--report",
            report.toString(),
            "--termination-log",
            terminationLog.toString(),
            "--linger",
            "0",
            "ok-retry:1",
            "ok-broken:2");

    assertThat(result.exitCode()).isEqualTo(1);
    JsonNode summary = summary(result);
    assertThat(JSON.readTree(report.toFile())).isEqualTo(summary);
    assertThat(summary.get("outcome").asText()).isEqualTo("failed");
    assertThat(summary.get("exitCode").asInt()).isEqualTo(1);
    assertThat(summary.get("modelsDir").asText()).isEqualTo(models.toString());
    assertThat(summary.get("driver").asText()).isEqualTo("fake");
    JsonNode done = summary.get("models").get(0);
    assertThat(done.get("displayName").asText()).isEqualTo("ok-retry:1");
    assertThat(done.get("outcome").asText()).isEqualTo("done");
    assertThat(done.get("manifestDigest").asText()).startsWith("sha256:");
    assertThat(done.get("retries").asInt()).isEqualTo(2);
    assertThat(done.get("bytesTransferred").asLong()).isEqualTo(done.get("sizeBytes").asLong());
    JsonNode failed = summary.get("models").get(1);
    assertThat(failed.get("outcome").asText()).isEqualTo("failed");
    // The inventory file of what was verified, and its digest for production.
    Path inventory = models.resolve(".ollama-airgap/inventory.json");
    assertThat(summary.get("inventoryDigest").asText())
        .isEqualTo(Sha256.of(Files.readAllBytes(inventory)).toString())
        .isEqualTo(summary.get("inventory").get("inventoryDigest").asText());
    assertThat(Files.readString(terminationLog))
        .isEqualTo(
            "1 of 2 models failed: ok-broken:2: max retries exceeded: connection reset by"
                + " the fake after 65536 bytes");
  }

  @Test
  void signingKeyThatIsPublic_exits2AndTouchesNothing(QuarkusMainLauncher launcher)
      throws Exception {
    OpensslKeys.Pair keys = OpensslKeys.generate(tmp, "k");
    Path models = tmp.resolve("models");

    LaunchResult result =
        launcher.launch(
            "--driver=fake",
            "--models-dir",
            models.toString(),
            "--linger=0",
            "--signing-key",
            keys.pub().toString(),
            "ok-a:1");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(summary(result).get("reason").asText())
        .startsWith("--signing-key / STAGER_SIGNING_KEY: ")
        .contains("holds a public key, but signing needs the private key");
    assertThat(models).doesNotExist();
  }

  @Test
  void reportInAMissingDirectory_exits3AndSaysSo(QuarkusMainLauncher launcher) throws Exception {
    Path models = tmp.resolve("models");
    Path report = tmp.resolve("no-such-dir/report.json");
    LaunchResult result =
        launcher.launch(
            "--driver=fake",
            "--models-dir",
            models.toString(),
            "--report",
            report.toString(),
            "--linger=0",
            "ok-a:1");

    assertThat(result.exitCode()).isEqualTo(3);
    JsonNode summary = summary(result);
    assertThat(summary.get("outcome").asText()).isEqualTo("environment");
    assertThat(summary.get("reason").asText())
        .isEqualTo(
            "cannot write the report "
                + report
                + ": the directory "
                + report.getParent()
                + " does not exist; create it or point --report (STAGER_REPORT) elsewhere");
    assertThat(report.getParent()).doesNotExist();
  }
}
