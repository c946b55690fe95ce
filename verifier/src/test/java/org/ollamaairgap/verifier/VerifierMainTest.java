package org.ollamaairgap.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.ollamaairgap.common.model.Digest;
import org.ollamaairgap.testing.StoreBuilder;
import org.ollamaairgap.testing.SyntheticBlob;
import org.ollamaairgap.testing.SyntheticModel;

/** Runs the verifier's main end to end on generated stores: every finding and every exit code. */
@QuarkusMainTest
class VerifierMainTest {
  static final SyntheticModel LLAMA = SyntheticModel.typical("llama3:8b", 1, 200_000);
  static final SyntheticModel PHI = SyntheticModel.typical("acme/phi:mini", 2, 50_000);
  static final Digest LLAMA_WEIGHTS = LLAMA.layers().get(0).blob().digest();
  static final Digest PHI_WEIGHTS = PHI.layers().get(0).blob().digest();

  @TempDir Path dir;

  /** A damage to the good store, and what the verifier must say about it. */
  interface Damage {
    void apply(StoreBuilder store, Path outside) throws Exception;
  }

  StoreBuilder good() throws Exception {
    return StoreBuilder.at(dir.resolve("models")).add(LLAMA).add(PHI);
  }

  LaunchResult launch(QuarkusMainLauncher launcher, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--termination-log=" + dir.resolve("termination-log"));
    return launcher.launch(all.toArray(String[]::new));
  }

  static String store(StoreBuilder store) {
    return "--models-dir=" + store.root();
  }

  @Test
  void goodStoreExitsZero(QuarkusMainLauncher launcher) throws Exception {
    StoreBuilder store = good();
    Files.writeString(dir.resolve("termination-log"), "");
    LaunchResult result = launch(launcher, store(store), "--parallelism=2");

    assertThat(result.exitCode()).as(result.getOutput()).isEqualTo(0);
    assertThat(result.getOutput())
        .contains(
            "verifying "
                + store.root()
                + " (mode full, parallelism 2): 2 manifests, 8 distinct blobs, 244.6 KiB to hash")
        .contains(
            "model llama3:8b: ok (id " + LLAMA.manifest().digest().shortHex() + ", 195.6 KiB)");
    assertThat(result.getOutput()).contains("OK: verified 2 models, 8 blobs, 244.6 KiB hashed in");
    assertThat(Files.readString(dir.resolve("termination-log")))
        .startsWith("OK: verified 2 models")
        .endsWith("Ollama may start.");
  }

  static List<Arguments> damages() {
    return List.of(
        Arguments.of(
            "missing blob",
            (Damage) (s, o) -> s.deleteBlob(LLAMA_WEIGHTS),
            "ERROR BLOB_MISSING model=llama3:8b blob="
                + LLAMA_WEIGHTS
                + " expected size=200000"
                + " actual no file: "),
        Arguments.of(
            "truncated blob",
            (Damage) (s, o) -> s.truncate(PHI_WEIGHTS, 10),
            "ERROR BLOB_SIZE_MISMATCH model=acme/phi:mini blob="
                + PHI_WEIGHTS
                + " expected size=50000 actual size=10: "),
        Arguments.of(
            "corrupt blob",
            (Damage) (s, o) -> s.flipByte(PHI_WEIGHTS, 0),
            "ERROR BLOB_DIGEST_MISMATCH model=acme/phi:mini blob="
                + PHI_WEIGHTS
                + " expected sha256="
                + PHI_WEIGHTS.hex()
                + " actual sha256="),
        Arguments.of(
            "fifo named like a blob",
            (Damage) (s, o) -> s.fifoInsteadOf(PHI_WEIGHTS),
            "ERROR BLOB_NOT_REGULAR_FILE model=acme/phi:mini"),
        Arguments.of(
            "symlink out of the store",
            (Damage) (s, o) -> s.symlinkOutside(PHI_WEIGHTS, o),
            "ERROR BLOB_OUTSIDE_STORE model=acme/phi:mini"),
        Arguments.of(
            "legacy blob name",
            (Damage) (s, o) -> s.legacyName(PHI_WEIGHTS),
            "ERROR LEGACY_BLOB_NAME path="),
        Arguments.of(
            "missing blobs dir",
            (Damage) (s, o) -> s.deleteBlobsDir(),
            "ERROR BLOBS_DIR_MISSING path="),
        Arguments.of(
            "missing manifests dir",
            (Damage) (s, o) -> s.deleteManifestsDir(),
            "ERROR MANIFESTS_DIR_MISSING path="),
        Arguments.of(
            "invalid manifest",
            (Damage) (s, o) -> s.manifestFile("registry.ollama.ai/library/bad/latest", "[]"),
            "ERROR INVALID_MANIFEST model=bad:latest path="),
        Arguments.of(
            "invalid model name",
            (Damage) (s, o) -> s.manifestFile("registry.ollama.ai/library/m/la test", "{}"),
            "ERROR INVALID_MODEL_NAME path="),
        Arguments.of(
            "namespace in two spellings",
            (Damage) (s, o) -> s.add(SyntheticModel.typical("Library/other", 3, 100)),
            "ERROR CASE_VARIANT model=other:latest,llama3:8b path="),
        Arguments.of(
            "dangling link at manifest depth",
            (Damage)
                (s, o) -> Files.createSymbolicLink(s.manifest("llama3:gone"), o.resolve("nowhere")),
            "ERROR MANIFEST_LISTING_BROKEN path="),
        Arguments.of(
            "directory link out of the store",
            (Damage)
                (s, o) ->
                    Files.createSymbolicLink(
                        s.layout().manifestsDir().resolve("proc"), Path.of("/proc")),
            "ERROR LINK_OUTSIDE_STORE path="),
        Arguments.of(
            "legacy blob name below blobs/",
            (Damage)
                (s, o) ->
                    Files.writeString(
                        Files.createDirectories(s.layout().blobsDir().resolve("old"))
                            .resolve("sha256:1234"),
                        "x"),
            "ERROR LEGACY_BLOB_NAME path="),
        Arguments.of(
            "config Ollama cannot decode",
            (Damage)
                (s, o) ->
                    s.add(
                        SyntheticModel.named("hidden:1b")
                            .config(SyntheticBlob.text("\"config\""))
                            .layer(
                                org.ollamaairgap.common.model.Descriptor.MODEL_MEDIA_TYPE,
                                SyntheticBlob.random(9, 100))
                            .build()),
            "ERROR CONFIG_UNREADABLE model=hidden:1b blob="));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("damages")
  @Timeout(value = 120, unit = TimeUnit.SECONDS) // a hang guard (the FIFO), not a speed check
  void damagedStoreExitsOne(String name, Damage damage, String line, QuarkusMainLauncher launcher)
      throws Exception {
    StoreBuilder store = good();
    damage.apply(store, Files.createDirectories(dir.resolve("outside")));
    Files.writeString(dir.resolve("termination-log"), "");
    LaunchResult result = launch(launcher, store(store));

    assertThat(result.exitCode()).as(result.getOutput()).isEqualTo(1);
    assertThat(result.getOutput()).contains(line);
    assertThat(Files.readString(dir.resolve("termination-log"))).startsWith("FAILED: ");
  }

  static List<Arguments> warnings() {
    return List.of(
        Arguments.of(
            "empty manifest dir",
            (Damage) (s, o) -> s.emptyManifestDir("registry.ollama.ai/library/gone"),
            "WARNING EMPTY_MANIFEST_DIR path="),
        Arguments.of(
            "partial leftovers",
            (Damage) (s, o) -> s.blobsFile("sha256-" + "a".repeat(64) + "-partial-0", 5),
            "WARNING PARTIAL_LEFTOVER path="),
        Arguments.of(
            "tmp leftovers",
            (Damage) (s, o) -> s.blobsFile("sha256-" + "a".repeat(64) + ".tmp", 5),
            "WARNING TMP_LEFTOVER path="),
        Arguments.of(
            "create leftovers",
            (Damage) (s, o) -> s.blobsFile("sha256-123456789", 5),
            "WARNING STRAY_BLOB_FILE path="),
        Arguments.of(
            "unreferenced blob",
            (Damage) (s, o) -> s.addUnreferenced(SyntheticBlob.random(7, 3000)),
            "WARNING UNREFERENCED_BLOBS path="
                + "%s actual 1 blobs, 3000 bytes: 1 blobs (2.9 KiB) in %s are used by no manifest"),
        Arguments.of(
            "a Mac's dot-files at manifest depth",
            (Damage) (s, o) -> s.manifestFile("registry.ollama.ai/library/llama3/._8b", "x"),
            "WARNING DOT_FILE path="),
        Arguments.of(
            "manifest at the wrong depth",
            (Damage) (s, o) -> s.manifestFile("registry.ollama.ai/library/other", "{}"),
            "INFO IGNORED_MANIFEST_FILE path="));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("warnings")
  void warningsStillExitZero(String name, Damage damage, String line, QuarkusMainLauncher launcher)
      throws Exception {
    StoreBuilder store = good();
    damage.apply(store, dir);
    LaunchResult result = launch(launcher, store(store));

    assertThat(result.exitCode()).as(result.getOutput()).isEqualTo(0);
    String blobs = store.layout().blobsDir().toString();
    assertThat(result.getOutput()).contains(line.replace("%s", blobs));
    assertThat(result.getOutput()).startsWith("verifying "); // walk findings after the start line
  }

  @Test
  void sizeModeMissesCorruptionButNotTruncation(QuarkusMainLauncher launcher) throws Exception {
    StoreBuilder store = good().flipByte(PHI_WEIGHTS, 0);
    LaunchResult size = launch(launcher, store(store), "--mode", "size", "--parallelism", "2");
    assertThat(size.exitCode()).as(size.getOutput()).isEqualTo(0);
    assertThat(size.getOutput()).contains("(mode size, parallelism 2)", "checked by size");

    store.truncate(PHI_WEIGHTS, 1);
    LaunchResult truncated = launch(launcher, store(store), "--mode=SIZE", "--parallelism=1");
    assertThat(truncated.exitCode()).isEqualTo(1);
    assertThat(truncated.getOutput()).contains("BLOB_SIZE_MISMATCH");
  }

  @Test
  void requireAndExpect(QuarkusMainLauncher launcher) throws Exception {
    StoreBuilder store = good();
    String id = LLAMA.manifest().digest().toString();
    LaunchResult ok =
        launch(
            launcher,
            store(store),
            "--require",
            "Llama3:8B,acme/phi:mini:local, https://registry.ollama.ai/acme/phi:mini",
            "--expect",
            "llama3:8b:local@" + id);
    assertThat(ok.exitCode()).as(ok.getOutput()).isEqualTo(0);

    String wrong = "sha256:" + "1".repeat(64);
    LaunchResult bad =
        launch(
            launcher, store(store), "--require", "mistral", "--expect", "acme/phi:mini@" + wrong);
    assertThat(bad.exitCode()).isEqualTo(1);
    assertThat(bad.getOutput())
        .contains(
            "ERROR REQUIRED_MODEL_MISSING model=mistral:latest path="
                + store.root()
                + "/manifests/registry.ollama.ai/library/mistral/latest expected a manifest"
                + " actual none: required model mistral:latest is not in the store. What to do:"
                + " stage mistral:latest (or fix the model list the verifier is given)")
        .contains(
            "ERROR EXPECTED_DIGEST_MISMATCH model=acme/phi:mini manifest="
                + wrong
                + " expected "
                + wrong
                + " actual "
                + PHI.manifest().digest());
  }

  @Test
  void reportIsWrittenAsJson(QuarkusMainLauncher launcher) throws Exception {
    StoreBuilder store = good().deleteBlob(PHI_WEIGHTS);
    Path report = Files.createDirectories(dir.resolve("out")).resolve("report.json");
    LaunchResult result = launch(launcher, store(store), "--report", report.toString());

    assertThat(result.exitCode()).isEqualTo(1);
    JsonNode json = new ObjectMapper().readTree(report.toFile());
    assertThat(json.get("result").asText()).isEqualTo("failed");
    assertThat(json.get("exitCode").asInt()).isEqualTo(1);
    JsonNode body = json.get("report");
    assertThat(body.get("errors").asInt()).isEqualTo(1);
    assertThat(body.get("models")).hasSize(2);
    JsonNode finding = body.get("findings").get(0);
    assertThat(finding.get("severity").asText()).isEqualTo("ERROR");
    assertThat(finding.get("kind").asText()).isEqualTo("BLOB_MISSING");
    assertThat(finding.get("digest").asText()).isEqualTo(PHI_WEIGHTS.toString());
    assertThat(finding.get("model").asText()).isEqualTo("acme/phi:mini");
    try (var files = Files.list(report.getParent())) {
      assertThat(files).containsExactly(report); // no temp file left behind
    }
  }

  @Test
  void manyFindingsOfOneKindAreCappedOnTheConsoleAndAllInTheReport(QuarkusMainLauncher launcher)
      throws Exception {
    StoreBuilder store = good();
    Path junk =
        Files.createDirectories(store.layout().manifestsDir().resolve("registry.ollama.ai/junk"));
    for (int i = 0; i < 300; i++) {
      Files.writeString(junk.resolve("stray-" + i), "");
    }
    store.deleteBlob(PHI_WEIGHTS);
    Path report = Files.createDirectories(dir.resolve("out")).resolve("report.json");
    LaunchResult result = launch(launcher, store(store), "--report", report.toString());

    assertThat(result.exitCode()).as(result.getOutput()).isEqualTo(1);
    List<String> lines = result.getOutputStream();
    assertThat(lines.stream().filter(l -> l.startsWith("INFO IGNORED_MANIFEST_FILE path=")))
        .hasSize(20);
    assertThat(lines)
        .contains(
            "INFO IGNORED_MANIFEST_FILE: and 280 more like this, listed in the report " + report);
    assertThat(lines.get(lines.size() - 1)).startsWith("FAILED: 1 of 2 models, ");
    JsonNode body = new ObjectMapper().readTree(report.toFile()).get("report");
    assertThat(body.get("findings")).hasSize(301);
    assertThat(body.get("findings").get(0).get("kind").asText()).isEqualTo("BLOB_MISSING");
    assertThat(body.get("counts").get("IGNORED_MANIFEST_FILE").asInt()).isEqualTo(300);
    try (var files = Files.list(report.getParent())) {
      assertThat(files).containsExactly(report); // neither spill nor temp file left behind
    }

    LaunchResult noReport = launch(launcher, store(store));
    assertThat(noReport.getOutputStream())
        .contains(
            "INFO IGNORED_MANIFEST_FILE: and 280 more like this, not listed; give --report FILE"
                + " (VERIFIER_REPORT) for the full list");
  }

  static List<Arguments> usageErrors() {
    return List.of(
        Arguments.of(List.of("--bogus"), "verifier: unknown option '--bogus'; see verifier --help"),
        Arguments.of(
            List.of("--mdoe", "size"),
            "verifier: unknown option '--mdoe' (did you mean --mode?); see verifier --help"),
        Arguments.of(
            List.of("--mode", "fast"),
            "verifier: --mode (VERIFIER_MODE): 'fast' is not one of: full, size; see verifier"
                + " --help"),
        Arguments.of(
            List.of("--mode"), "verifier: --mode needs a value (full|size); see verifier --help"),
        Arguments.of(
            List.of("--mode", "full", "--mode=size"),
            "verifier: --mode is given more than once; see verifier --help"),
        Arguments.of(
            List.of("stray"), "verifier: unexpected argument 'stray'; see verifier --help"),
        Arguments.of(
            List.of("--parallelism", "-1"),
            "verifier: --parallelism (VERIFIER_PARALLELISM) must be 0 (one per core) or more,"
                + " not -1"),
        Arguments.of(
            List.of("--parallelism", "many"),
            "verifier: --parallelism (VERIFIER_PARALLELISM): 'many' is not a whole number"),
        Arguments.of(
            List.of("--progress-interval", "soon"),
            "verifier: --progress-interval (VERIFIER_PROGRESS_INTERVAL): 'soon' is not a duration"
                + " (e.g. 500ms, 30s, 5m, 2h, 7d)"),
        Arguments.of(
            List.of("--expect", "llama3:8b"),
            "verifier: --expect (VERIFIER_EXPECT): 'llama3:8b' is not name@sha256:<64 hex>:"
                + " --expect pins a model to the SHA-256 of its manifest file"),
        Arguments.of(List.of("--require", "bad name!"), "verifier: --require (VERIFIER_REQUIRE): "),
        // What ollama pull accepts but an air gap cannot use, said plainly (never a stack trace).
        Arguments.of(
            List.of("--require", "127.0.0.1:99999/ns/m"),
            "verifier: --require (VERIFIER_REQUIRE): invalid model name '127.0.0.1:99999/ns/m': the"
                + " port 99999 in the host '127.0.0.1:99999' is out of range; a port is 1 to"
                + " 65535"),
        Arguments.of(
            List.of("--require", "gpt-oss:20b-cloud"),
            "verifier: --require (VERIFIER_REQUIRE): invalid model name 'gpt-oss:20b-cloud':"
                + " '-cloud' names an Ollama cloud model, a stub that sends every request to"
                + " ollama.com and cannot serve inside an air gap; name the local model instead"
                + " (e.g. 'gpt-oss:20b')"),
        Arguments.of(
            List.of("--expect", "qwen3:cloud@sha256:" + "1".repeat(64)),
            "verifier: --expect (VERIFIER_EXPECT): invalid model name 'qwen3:cloud': ':cloud'"
                + " names an Ollama cloud model"),
        Arguments.of(
            List.of("--models-dir", " "),
            "verifier: --models-dir (OLLAMA_MODELS) is empty: give the store root"));
  }

  @ParameterizedTest
  @MethodSource("usageErrors")
  void badUsageExitsTwo(List<String> args, String message, QuarkusMainLauncher launcher)
      throws Exception {
    Path store = good().root();
    List<String> all = new ArrayList<>(List.of("--models-dir=" + store));
    all.addAll(args);
    if (args.get(0).equals("--models-dir")) {
      all.remove(0);
    }
    Files.writeString(dir.resolve("termination-log"), "");
    LaunchResult result = launch(launcher, all.toArray(String[]::new));
    assertThat(result.exitCode()).as(result.getErrorOutput()).isEqualTo(2);
    assertThat(result.getErrorOutput())
        .startsWith(message)
        .doesNotContain("\tat ", "SRCFG", "Exception", "org.ollamaairgap", "java.");
    assertThat(result.getOutput()).doesNotContain("verifying "); // nothing was read
    assertThat(Files.readString(dir.resolve("termination-log")))
        .isEqualTo(result.getErrorOutput().strip().substring("verifier: ".length()));
  }

  @Test
  void reportInsideTheStoreIsRefused(QuarkusMainLauncher launcher) throws Exception {
    StoreBuilder store = good();
    Path report = store.root().resolve("report.json");
    LaunchResult result = launch(launcher, store(store), "--report=" + report);
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.getErrorOutput())
        .contains(
            "--report "
                + report
                + " is inside the models directory "
                + store.root()
                + ": the verifier never writes into the store; choose a path outside it");
    assertThat(report).doesNotExist();
  }

  @Test
  void missingStoreExitsThree(QuarkusMainLauncher launcher) throws Exception {
    Files.writeString(dir.resolve("termination-log"), "");
    LaunchResult result = launch(launcher, "--models-dir", dir.resolve("nope").toString());
    assertThat(result.exitCode()).isEqualTo(3);
    String message =
        "models directory "
            + dir.resolve("nope")
            + " does not exist: check OLLAMA_MODELS / --models-dir and the volume mount";
    assertThat(result.getErrorOutput()).contains("verifier: " + message);
    assertThat(Files.readString(dir.resolve("termination-log"))).isEqualTo(message);
  }

  @Test
  void storeThatIsAFileExitsThree(QuarkusMainLauncher launcher) throws Exception {
    Path file = Files.writeString(dir.resolve("file"), "x");
    LaunchResult result = launch(launcher, "--models-dir", file.toString());
    assertThat(result.exitCode()).isEqualTo(3);
  }

  @Test
  void helpListsEveryOptionWithItsVariable(QuarkusMainLauncher launcher) {
    LaunchResult result = launcher.launch("--help");
    assertThat(result.exitCode()).isEqualTo(0);
    String help = result.getOutput();
    assertThat(help)
        .startsWith("Usage: verifier [OPTIONS] [COMMAND]\nVerifies an Ollama model store");
    for (var option : VerifierCommand.SETTINGS) {
      String value =
          option.kind() == org.ollamaairgap.app.cli.Setting.Kind.SWITCH
              ? "[=" + option.label() + "]"
              : "=" + option.label();
      assertThat(help).contains("      " + option.flag() + value, "env " + option.env());
    }
    assertThat(help)
        .contains("env VERIFIER_MODE; default: full\n")
        .contains("env VERIFIER_PROGRESS_INTERVAL; default: 10s\n")
        .contains("env VERIFIER_PARALLELISM; default: 0\n")
        .contains("env VERIFIER_REPORT; default: (none)\n")
        .contains("  -h, --help ", "  -V, --version ");
  }

  @Test
  void watchHelpListsItsOwnOptionsAndTheManagementPort(QuarkusMainLauncher launcher) {
    LaunchResult result = launcher.launch("watch", "--help");
    assertThat(result.exitCode()).isEqualTo(0);
    assertThat(result.getOutput())
        .startsWith("Usage: verifier watch [OPTIONS]\nVerifies the store as the verifier does")
        .contains("      --watch-interval=DURATION", "env VERIFIER_WATCH_INTERVAL; default: 1h\n")
        .contains("      --max-bandwidth=SIZE", "env VERIFIER_MAX_BANDWIDTH; default: (none)\n")
        .contains("      --models-dir=DIR", "      --record-dir=DIR")
        .contains("  QUARKUS_MANAGEMENT_PORT  Port of /q/metrics and /q/health");
  }

  @Test
  void watchRefusesABandwidthOfZero(QuarkusMainLauncher launcher) {
    LaunchResult result = launcher.launch("watch", "--max-bandwidth", "0");
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.getErrorOutput())
        .contains(
            "verifier: --max-bandwidth (VERIFIER_MAX_BANDWIDTH) must be more than 0 bytes per"
                + " second (leave it unset for no limit), not 0");
  }

  @Test
  void helpSaysWhereAValueCameFrom(QuarkusMainLauncher launcher) {
    LaunchResult result = launcher.launch("--mode", "size", "--parallelism=3", "--help");
    assertThat(result.exitCode()).isEqualTo(0);
    assertThat(result.getOutput())
        .contains("env VERIFIER_MODE; now: size (from --mode)\n")
        .contains("env VERIFIER_PARALLELISM; now: 3 (from --parallelism)\n")
        .contains("env VERIFIER_PROGRESS_INTERVAL; default: 10s\n");
  }

  @Test
  void helpWinsOverABadValue(QuarkusMainLauncher launcher) {
    LaunchResult result = launcher.launch("--mode", "fast", "--help");
    assertThat(result.exitCode()).isEqualTo(0);
    assertThat(result.getOutput()).contains("env VERIFIER_MODE; now: fast (from --mode)\n");
  }

  @Test
  void versionPrintsTheProjectVersion(QuarkusMainLauncher launcher) {
    LaunchResult result = launcher.launch("--version");
    assertThat(result.exitCode()).isEqualTo(0);
    assertThat(result.getOutput().strip()).matches("verifier \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
  }

  @Test
  void reportInAMissingDirectoryExitsThreeAndSaysSoLast(QuarkusMainLauncher launcher)
      throws Exception {
    StoreBuilder store = good();
    Path report = dir.resolve("no-such-dir/report.json");
    Files.writeString(dir.resolve("termination-log"), "");
    LaunchResult result = launch(launcher, store(store), "--report", report.toString());

    assertThat(result.exitCode()).as(result.getOutput()).isEqualTo(3);
    List<String> lines = result.getOutputStream();
    String last = lines.get(lines.size() - 1);
    String problem =
        "cannot write the report "
            + report
            + ": the directory "
            + report.getParent()
            + " does not exist; create it or point --report (VERIFIER_REPORT) elsewhere";
    assertThat(last).startsWith("FAILED: " + problem + "; the store itself: OK: verified 2 models");
    assertThat(result.getOutput()).doesNotContain("report written");
    assertThat(result.getErrorOutput()).contains("verifier: " + problem);
    assertThat(Files.readString(dir.resolve("termination-log"))).isEqualTo(last);
    assertThat(report.getParent()).doesNotExist(); // never created
  }

  @Test
  void theVerdictIsTheLastLineWhenTheReportIsWritten(QuarkusMainLauncher launcher)
      throws Exception {
    StoreBuilder store = good();
    Path report = dir.resolve("report.json");
    LaunchResult result = launch(launcher, store(store), "--report", report.toString());

    assertThat(result.exitCode()).isEqualTo(0);
    List<String> lines = result.getOutputStream();
    assertThat(lines.get(lines.size() - 2)).isEqualTo("report written to " + report);
    assertThat(lines.get(lines.size() - 1)).endsWith("Ollama may start.");
  }

  @Test
  void progressLinesAtTheInterval(QuarkusMainLauncher launcher) throws Exception {
    StoreBuilder store =
        StoreBuilder.at(dir.resolve("models"))
            .add(SyntheticModel.typical("big:1", 3, 64L * 1024 * 1024));
    LaunchResult result =
        launch(launcher, store(store), "--progress-interval=1ms", "--parallelism=1");
    assertThat(result.exitCode()).isEqualTo(0);
    assertThat(result.getOutput()).containsPattern("progress: [0-9.]+ [KMG]?i?B of 64\\.0 MiB \\(");
  }
}
