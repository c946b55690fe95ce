package org.ollamaairgap.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ollamaairgap.testing.StoreBuilder;
import org.ollamaairgap.testing.SyntheticModel;

/**
 * The packaged verifier as a real process: what only a real environment can show (environment
 * variables read by Quarkus at start-up, {@code OLLAMA_MODELS} as Ollama reads it).
 */
class VerifierProcessIT {
  @TempDir Path dir;

  record Result(int code, String out, String err) {}

  Result run(Map<String, String> env, String... args) throws IOException, InterruptedException {
    return run(List.of(), env, args);
  }

  Result run(List<String> jvm, Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvm);
    command.add("-jar");
    command.add(System.getProperty("verifier.jar", "target/quarkus-app/quarkus-run.jar"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().remove("OLLAMA_MODELS");
    builder.environment().putAll(env);
    builder.redirectOutput(dir.resolve("out").toFile()).redirectError(dir.resolve("err").toFile());
    int code = builder.start().waitFor();
    return new Result(
        code,
        Files.readString(dir.resolve("out"), StandardCharsets.UTF_8),
        Files.readString(dir.resolve("err"), StandardCharsets.UTF_8));
  }

  StoreBuilder store(Path root) throws IOException {
    return StoreBuilder.at(root).add(SyntheticModel.typical("llama3:8b", 1, 10_000));
  }

  @Test
  void badEnvironmentValueIsOneLineAndExitTwo() throws Exception {
    Path root = store(dir.resolve("models")).root();
    Result result = run(Map.of("OLLAMA_MODELS", root.toString(), "VERIFIER_PARALLELISM", "many"));
    assertThat(result.code()).as(result.err()).isEqualTo(2);
    assertThat(result.err().strip())
        .isEqualTo(
            "verifier: --parallelism (VERIFIER_PARALLELISM): 'many' is not a whole number; see"
                + " verifier --help");
    assertThat(result.out()).isEmpty(); // refused before anything was read
  }

  /** Flag over environment variable over default, as --help shows it and as a run uses it. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "default          |               |             | env VERIFIER_MODE; default: full",
        "environment      | size          |             | env VERIFIER_MODE; now: size (from"
            + " VERIFIER_MODE)",
        "flag over env    | size          | --mode=full | env VERIFIER_MODE; now: full (from"
            + " --mode)",
        "flag, no env     |               | --mode=SIZE | env VERIFIER_MODE; now: SIZE (from"
            + " --mode)",
      })
  void helpShowsTheValueInForceAndWhereItCameFrom(String name, String env, String flag, String line)
      throws Exception {
    Map<String, String> vars = env == null ? Map.of() : Map.of("VERIFIER_MODE", env);
    List<String> args = new ArrayList<>();
    if (flag != null) {
      args.add(flag);
    }
    args.add("--help");
    Result result = run(vars, args.toArray(String[]::new));
    assertThat(result.code()).as(result.err()).isEqualTo(0);
    assertThat(result.out()).contains(line + "\n");
  }

  @Test
  void helpShowsTheStoreOllamaWouldUse() throws Exception {
    Path home = dir.resolve("home");
    Result byHome = run(Map.of("HOME", home.toString()), "--help");
    assertThat(byHome.out())
        .contains("env OLLAMA_MODELS; default: " + home.resolve(".ollama/models") + "\n");
    Result byEnv = run(Map.of("OLLAMA_MODELS", "/nfs/models"), "--help");
    assertThat(byEnv.out()).contains("env OLLAMA_MODELS; now: /nfs/models (from OLLAMA_MODELS)\n");
  }

  @Test
  void versionAndHelpNeedNoStore() throws Exception {
    Result version = run(Map.of("OLLAMA_MODELS", dir.resolve("nope").toString()), "--version");
    assertThat(version.code()).isEqualTo(0);
    assertThat(version.out().strip()).startsWith("verifier ");
  }

  @Test
  void ollamaModelsIsReadAsOllamaReadsIt() throws Exception {
    Path root = store(dir.resolve("my models")).root();
    // Ollama trims blanks and quotes around the value.
    Result result =
        run(Map.of("OLLAMA_MODELS", " \"" + root + "\" ", "VERIFIER_REQUIRE", "llama3:8b"));
    assertThat(result.code()).as(result.out() + result.err()).isEqualTo(0);
    assertThat(result.out()).contains("verifying " + root + " (");
  }

  @Test
  void withoutOllamaModelsTheDefaultIsUnderHome() throws Exception {
    Path home = dir.resolve("home");
    store(home.resolve(".ollama/models"));
    Result result = run(Map.of("HOME", home.toString()));
    assertThat(result.code()).as(result.out() + result.err()).isEqualTo(0);
    assertThat(result.out()).contains("verifying " + home.resolve(".ollama/models") + " (");
  }

  @Test
  void flagBeatsEnvironment() throws Exception {
    Path root = store(dir.resolve("models")).root();
    Result result =
        run(
            Map.of("OLLAMA_MODELS", dir.resolve("nope").toString(), "VERIFIER_MODE", "bogus"),
            "--models-dir",
            root.toString(),
            "--mode",
            "size");
    assertThat(result.code()).as(result.out() + result.err()).isEqualTo(0);
    assertThat(result.out()).contains("(mode size,");
  }

  /**
   * Issue #18: 100,000 stray files under manifests/ (which Ollama ignores) in a JVM with 64 MiB of
   * heap, as for a 4 GB blob: a verdict, 20 lines of them, the full list in the report.
   */
  @Test
  void hundredThousandStrayFilesUnderSixtyFourMegabytes() throws Exception {
    StoreBuilder store = store(dir.resolve("models"));
    Path junk =
        Files.createDirectories(store.layout().manifestsDir().resolve("registry.ollama.ai/junk"));
    for (int i = 0; i < 100_000; i++) {
      Files.createFile(junk.resolve("stray-file-with-a-long-name-" + i));
    }
    Path report = dir.resolve("report.json");
    Result result =
        run(
            List.of("-Xmx64m"),
            Map.of("OLLAMA_MODELS", store.root().toString()),
            "--report",
            report.toString());

    assertThat(result.code()).as(result.err()).isEqualTo(0);
    List<String> lines = result.out().lines().toList();
    assertThat(lines.stream().filter(l -> l.startsWith("INFO IGNORED_MANIFEST_FILE"))).hasSize(21);
    assertThat(lines)
        .contains(
            "INFO IGNORED_MANIFEST_FILE: and 99,980 more like this, listed in the report "
                + report);
    assertThat(lines.get(lines.size() - 1)).startsWith("OK: verified 1 model, ");
    long listed;
    try (var in = new com.fasterxml.jackson.core.JsonFactory().createParser(report.toFile())) {
      listed = 0;
      for (var token = in.nextToken(); token != null; token = in.nextToken()) {
        if (token == com.fasterxml.jackson.core.JsonToken.FIELD_NAME
            && in.currentName().equals("kind")) {
          listed++;
        }
      }
    }
    assertThat(listed).isEqualTo(100_000);
  }
}
