package org.ollamaairgap.stager;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ollamaairgap.common.digest.Sha256;
import org.ollamaairgap.common.model.ModelName;
import org.ollamaairgap.common.store.StoreLayout;
import org.ollamaairgap.stager.lock.LockRecord;

/** The single-writer lock and the inventory in a whole run (outside a cluster: the lock file). */
@QuarkusMainTest
class StagerLockTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  private static JsonNode summary(LaunchResult result) throws Exception {
    List<String> lines = result.getOutputStream();
    return JSON.readTree(lines.get(lines.size() - 1));
  }

  @Test
  void storeLockedByALiveStager_exits3NamingIt_andStagesNothing(QuarkusMainLauncher launcher)
      throws Exception {
    Path models = tmp.resolve("models");
    Path lock = new StoreLayout(models).lockFile();
    Files.createDirectories(lock.getParent());
    Instant now = Instant.now();
    JSON.writeValue(
        lock.toFile(),
        new LockRecord(
            "stager-other", "node-7", 4242, "t", now.toString(), now.toString(), null, null));
    Path terminationLog = Files.createFile(tmp.resolve("termination-log"));

    LaunchResult result =
        launcher.launch(
            "--driver=fake",
            "--models-dir",
            models.toString(),
            "--termination-log",
            terminationLog.toString(),
            "--lock-wait=0s",
            "--kubernetes=false",
            "--linger=0",
            "ok-a:1");

    assertThat(result.exitCode()).isEqualTo(3);
    String reason = summary(result).get("reason").asText();
    assertThat(reason)
        .startsWith(
            "another stager is writing this store: "
                + lock
                + " is held by stager-other (host node-7, pid 4242), last heartbeat ");
    assertThat(Files.readString(terminationLog)).isEqualTo(reason);
    assertThat(summary(result).get("models").get(0).get("outcome").asText()).isEqualTo("skipped");
    assertThat(models.resolve("manifests")).doesNotExist();
    assertThat(models.resolve("blobs")).doesNotExist();
    assertThat(JSON.readValue(lock.toFile(), LockRecord.class).owner()).isEqualTo("stager-other");
  }

  @Test
  void staleLockOfADeadStager_isTakenOver_andTheRunSucceeds(QuarkusMainLauncher launcher)
      throws Exception {
    Path models = tmp.resolve("models");
    Path lock = new StoreLayout(models).lockFile();
    Files.createDirectories(lock.getParent());
    Instant old = Instant.now().minus(Duration.ofHours(2));
    JSON.writeValue(
        lock.toFile(),
        new LockRecord("dead", "node-7", 1, "t", old.toString(), old.toString(), null, null));

    LaunchResult result =
        launcher.launch("--driver=fake", "--models-dir", models.toString(), "--linger=0", "ok-a:1");

    assertThat(result.exitCode()).isZero();
    assertThat(result.getOutput()).contains("took over the stale store lock of dead (host node-7");
    assertThat(lock).doesNotExist();
  }

  @Test
  void run_summaryCarriesTheInventoryWithTheExpectValue(QuarkusMainLauncher launcher)
      throws Exception {
    Path models = tmp.resolve("models");
    LaunchResult result =
        launcher.launch(
            "--driver=fake",
            "--models-dir",
            models.toString(),
            "--linger=0",
            "ok-a:1",
            "ok-broken:2");

    assertThat(result.exitCode()).isEqualTo(1);
    JsonNode inventory = summary(result).get("inventory");
    ModelName name = ModelName.parse("ok-a:1");
    String digest =
        Sha256.of(Files.readAllBytes(new StoreLayout(models).manifest(name))).toString();
    assertThat(inventory.get("store").asText()).isEqualTo(models.toString());
    assertThat(inventory.get("models").get(0).get("name").asText())
        .isEqualTo("registry.ollama.ai/library/ok-a:1");
    assertThat(inventory.get("models").get(0).get("manifestDigest").asText()).isEqualTo(digest);
    assertThat(inventory.get("models").get(0).get("outcome").asText()).isEqualTo("done");
    assertThat(inventory.get("models").get(1).get("outcome").asText()).isEqualTo("failed");
    assertThat(inventory.get("expect").asText())
        .isEqualTo("registry.ollama.ai/library/ok-a:1@" + digest);
    assertThat(new StoreLayout(models).lockFile()).doesNotExist();
  }
}
