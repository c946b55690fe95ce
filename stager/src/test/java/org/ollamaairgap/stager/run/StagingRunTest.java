package org.ollamaairgap.stager.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ollamaairgap.common.model.Descriptor;
import org.ollamaairgap.common.model.ModelName;
import org.ollamaairgap.common.progress.ModelState;
import org.ollamaairgap.common.progress.Outcome;
import org.ollamaairgap.common.progress.PullListener;
import org.ollamaairgap.common.store.StoreLayout;
import org.ollamaairgap.stager.progress.ProgressTracker;
import org.ollamaairgap.stager.testing.FakeDriver;
import org.ollamaairgap.stager.testing.Mounts;
import org.ollamaairgap.stager.testing.TestClock;
import org.ollamaairgap.testing.SyntheticModel;

class StagingRunTest {
  @TempDir Path tmp;

  private StoreLayout layout;
  private ProgressTracker tracker;

  private RunResult run(String... names) {
    return run(tmp.resolve("models"), names);
  }

  private RunResult run(Path root, String... names) {
    return run(root, PullListener.NONE, names);
  }

  private RunResult run(Path root, PullListener others, String... names) {
    layout = new StoreLayout(root);
    tracker = new ProgressTracker(new TestClock(Instant.parse("2026-01-01T00:00:00Z")));
    return new StagingRun(layout, tracker, others)
        .run(List.of(names), () -> new FakeDriver(layout));
  }

  /**
   * The run announces what resolving found and what the staged manifest lists, and the driver what
   * it pulls: a listener still hears of each blob of a model exactly once, as its contract says.
   */
  @Test
  void run_everyBlobIsAnnouncedOncePerModel() throws Exception {
    List<String> announced = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    PullListener recorder =
        new PullListener() {
          @Override
          public void blob(
              ModelName model, org.ollamaairgap.common.model.Digest digest, long size) {
            announced.add(model.displayShortest() + " " + digest);
          }
        };

    RunResult result = run(tmp.resolve("models"), recorder, "ok-a:1", "ok-b");

    assertThat(result.exitCode()).isZero();
    SyntheticModel a = FakeDriver.model(name("ok-a:1"));
    SyntheticModel b = FakeDriver.model(name("ok-b"));
    List<String> expected = new java.util.ArrayList<>();
    a.blobs().keySet().forEach(d -> expected.add("ok-a:1 " + d));
    b.blobs().keySet().forEach(d -> expected.add("ok-b:latest " + d));
    assertThat(announced).containsExactlyInAnyOrderElementsOf(expected);
  }

  private static ModelName name(String text) throws Exception {
    return ModelName.parse(text);
  }

  @Test
  void run_twoGoodModels_stagesAndVerifiesBoth() throws Exception {
    RunResult result = run("ok-a:1", "ok-b");

    assertThat(result.exitCode()).isZero();
    assertThat(result.reason()).startsWith("staged and verified 2 models (");
    SyntheticModel a = FakeDriver.model(name("ok-a:1"));
    assertThat(layout.manifest(a.name())).hasBinaryContent(a.manifestBytes());
    for (var blob : a.blobs().keySet()) {
      assertThat(layout.blob(blob)).exists();
    }
    ModelReport report = result.models().get(0);
    assertThat(report)
        .isEqualTo(
            new ModelReport(
                "registry.ollama.ai/library/ok-a:1",
                "ok-a:1",
                a.manifest().digest().toString(),
                a.manifest().totalSize(),
                5,
                Outcome.DONE,
                null,
                0.0,
                a.manifest().totalSize(),
                0));
    assertThat(result.models().get(1).displayName()).isEqualTo("ok-b:latest");
    assertThat(tracker.get(a.name()).state()).isEqualTo(ModelState.DONE);
    // Our staging area holds nothing once the run is over.
    try (var left = Files.list(layout.stagingDir())) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void run_badName_exits2AndWritesNothing() {
    RunResult result = run("ok-a:1", "no spaces/in names", "-dash");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.reason())
        .startsWith("invalid model name 'no spaces/in names': ")
        .contains("; invalid model name '-dash': ")
        .endsWith(". Nothing was staged; fix the list (--models / STAGER_MODELS) and run again.");
    assertThat(result.models()).isEmpty();
    assertThat(tmp.resolve("models")).doesNotExist();
  }

  @Test
  void run_noModels_exits2() {
    RunResult result = run(" ", "");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.reason())
        .isEqualTo(
            "no models to stage: give model names as arguments, with --models or STAGER_MODELS"
                + " (e.g. --models llama3.2:1b,qwen2.5:0.5b)");
    assertThat(tmp.resolve("models")).doesNotExist();
  }

  @Test
  void run_namesDifferingInCase_areOneModel() {
    RunResult result = run("OK-a:1", "ok-A:1", "registry.ollama.ai/library/ok-a:1");

    assertThat(result.exitCode()).isZero();
    assertThat(result.models()).extracting(ModelReport::displayName).containsExactly("OK-a:1");
  }

  @Test
  void run_oneOfTwoFails_exits1AndStagesTheOther() throws Exception {
    RunResult result = run("ok-broken:1", "ok-b:1");

    assertThat(result.exitCode()).isEqualTo(1);
    ModelReport broken = result.models().get(0);
    assertThat(broken.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(broken.reason())
        .isEqualTo("max retries exceeded: connection reset by the fake after 65536 bytes");
    assertThat(broken.manifestDigest()).isNull();
    assertThat(layout.manifest(name("ok-broken:1"))).doesNotExist();
    assertThat(result.models().get(1).outcome()).isEqualTo(Outcome.DONE);
    assertThat(layout.manifest(name("ok-b:1"))).exists();
    assertThat(result.reason())
        .isEqualTo(
            "1 of 2 models failed: ok-broken:1: max retries exceeded: connection reset by"
                + " the fake after 65536 bytes");
  }

  @Test
  void run_unknownModel_failsOnlyThatModel() throws Exception {
    RunResult result = run("ok-a:1", "ok-missing:1");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.models())
        .extracting(ModelReport::outcome)
        .containsExactly(Outcome.DONE, Outcome.FAILED);
    assertThat(result.models().get(1).reason())
        .isEqualTo("pull model manifest: file does not exist (ok-missing:1)");
  }

  @Test
  void run_corruptPreExistingBlob_isCaughtByTheRehash() throws Exception {
    SyntheticModel model = FakeDriver.model(name("ok-a:1"));
    Descriptor weights = model.manifest().layers().get(0);
    Path blob = new StoreLayout(tmp.resolve("models")).blob(weights.digest());
    Files.createDirectories(blob.getParent());
    Files.write(blob, new byte[(int) weights.size()]); // right size, wrong bytes

    RunResult result = run("ok-a:1");

    assertThat(result.exitCode()).isEqualTo(1);
    ModelReport report = result.models().get(0);
    assertThat(report.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(report.reason())
        .startsWith("verification failed for 1 of 5 blobs: " + blob + " has SHA-256 sha256:")
        .endsWith(
            ", expected "
                + weights.digest()
                + ". Delete the damaged blob file and run the stager again to download it anew.");
    assertThat(tracker.get(model.name()).state()).isEqualTo(ModelState.FAILED);
  }

  @Test
  void run_retriesAndTransfers_areInTheReport() {
    RunResult result = run("ok-retry:1");

    ModelReport report = result.models().get(0);
    assertThat(report.retries()).isEqualTo(2);
    assertThat(report.bytesTransferred()).isEqualTo(report.sizeBytes());
  }

  @Test
  void run_secondRun_transfersNothingAndReverifiesEverything() {
    run("ok-a:1");
    RunResult again = run("ok-a:1");

    assertThat(again.exitCode()).isZero();
    assertThat(again.models().get(0).bytesTransferred()).isZero();
    ModelName model = again.models().isEmpty() ? null : tracker.all().get(0).name();
    assertThat(tracker.get(model).hashed()).isEqualTo(again.models().get(0).sizeBytes());
  }

  @Test
  void run_targetIsAFile_exits3() throws IOException {
    Path file = Files.writeString(tmp.resolve("models"), "not a directory");

    RunResult result = run(file, "ok-a:1");

    assertThat(result.exitCode()).isEqualTo(3);
    assertThat(result.reason())
        .isEqualTo(
            "the models directory "
                + file
                + " is not a directory; point --models-dir / OLLAMA_MODELS at the store");
    assertThat(result.models().get(0).outcome()).isEqualTo(Outcome.SKIPPED);
  }

  @Test
  void run_readOnlyTarget_exits3WithPathAndFix() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("models"));
    try (var mount = Mounts.readOnly(root)) {
      RunResult result = run(mount.dir(), "ok-a:1", "ok-b:1");

      assertThat(result.exitCode()).isEqualTo(3);
      assertThat(result.reason())
          .startsWith(
              "cannot write to the models directory " + root + " (Read-only file system at ")
          .contains("): the stager needs it read-write. Check that the volume is not mounted")
          .endsWith(") may write there.");
      assertThat(result.models())
          .extracting(ModelReport::outcome)
          .containsExactly(Outcome.SKIPPED, Outcome.SKIPPED);
    }
  }

  @Test
  void run_notEnoughSpace_exits3BeforeDownloadingWithTheNumbers() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("models"));
    try (var mount = Mounts.tmpfs(root, "1m")) {
      RunResult result = run(mount.dir(), "ok-big:1", "ok-a:1");

      assertThat(result.exitCode()).isEqualTo(3);
      assertThat(result.reason())
          .startsWith("not enough space in " + root + ": the blobs still missing for ok-big:1,")
          .contains(" need 2.3 MiB (")
          .contains(" is free. Free ")
          .endsWith(
              " on that volume (or grow it), or stage fewer models per run. Nothing was"
                  + " downloaded.");
      try (var blobs = Files.list(root)) {
        assertThat(blobs)
            .extracting(p -> p.getFileName().toString())
            .containsOnly(StoreLayout.WORK);
      }
    }
  }

  @Test
  void run_diskFullDuringPull_exits3AndSkipsTheRest() throws Exception {
    Path root = Files.createDirectories(tmp.resolve("models"));
    try (var mount = Mounts.tmpfs(root, "1m")) {
      // "unsized": the size is unknown before the pull, as with the ollama driver.
      RunResult result = run(mount.dir(), "big-unsized:1", "ok-a:1");

      assertThat(result.exitCode()).isEqualTo(3);
      assertThat(result.reason())
          .startsWith("big-unsized:1: out of space: ")
          .contains("No space left on device");
      assertThat(result.models())
          .extracting(ModelReport::outcome)
          .containsExactly(Outcome.FAILED, Outcome.SKIPPED);
    }
  }
}
