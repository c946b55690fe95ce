package org.ollamaairgap.stager.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ollamaairgap.common.progress.Outcome;
import org.ollamaairgap.stager.inventory.Inventory;
import org.ollamaairgap.stager.inventory.InventoryModel;
import org.ollamaairgap.stager.testing.MockApi;

class InventoryPublisherTest {
  private static final String NS = "ollama-staging";
  private static final String NAME = "ollama-airgap-inventory";
  private static final String A = "sha256:" + "a".repeat(64);
  private static final String B = "sha256:" + "b".repeat(64);

  private final MockApi api = new MockApi();
  private final ObjectMapper json = new ObjectMapper();

  @AfterEach
  void stop() {
    api.close();
  }

  private static Inventory inventory(InventoryModel... models) {
    return new Inventory("/models", "2026-11-29T05:00:00Z", "stager-pod", List.of(models));
  }

  private ConfigMap configMap() {
    return api.client().configMaps().inNamespace(NS).withName(NAME).get();
  }

  @Test
  void publish_withInventoryFile_addsItsDigest() throws Exception {
    Inventory inventory =
        inventory(
                new InventoryModel(
                    "registry.ollama.ai/library/llama3.2:3b",
                    A,
                    2019393189L,
                    5,
                    "2026-11-29T04:59:00Z",
                    Outcome.DONE,
                    null))
            .withInventoryDigest(org.ollamaairgap.common.model.Digest.parse(B));

    new InventoryPublisher(api.client(), NS, NAME, json).publish(inventory);

    assertThat(configMap().getData())
        .containsOnlyKeys("inventory.json", "expect", "inventoryDigest")
        .containsEntry("inventoryDigest", B);
    assertThat(json.readTree(configMap().getData().get("inventory.json")).get("inventoryDigest"))
        .hasToString("\"" + B + "\"");
  }

  @Test
  void publish_noConfigMap_createsItWithInventoryAndExpect() throws Exception {
    Inventory inventory =
        inventory(
            new InventoryModel(
                "registry.ollama.ai/library/llama3.2:3b",
                A,
                2019393189L,
                5,
                "2026-11-29T04:59:00Z",
                Outcome.DONE,
                null),
            new InventoryModel(
                "registry.ollama.ai/library/nomic-embed-text:latest",
                B,
                274302450L,
                4,
                "2026-11-29T04:59:30Z",
                Outcome.DONE,
                null),
            new InventoryModel(
                "registry.ollama.ai/library/qwen3:8b",
                null,
                0,
                0,
                null,
                Outcome.FAILED,
                "not found"));

    new InventoryPublisher(api.client(), NS, NAME, json).publish(inventory);

    ConfigMap map = configMap();
    assertThat(map.getData())
        .containsOnlyKeys("inventory.json", "expect")
        .containsEntry(
            "expect",
            "registry.ollama.ai/library/llama3.2:3b@"
                + A
                + ",registry.ollama.ai/library/nomic-embed-text:latest@"
                + B);
    JsonNode published = json.readTree(map.getData().get("inventory.json"));
    assertThat(json.treeToValue(published, Inventory.class)).isEqualTo(inventory);
    assertThat(published.get("models").get(0).toString())
        .isEqualTo(
            "{\"name\":\"registry.ollama.ai/library/llama3.2:3b\",\"manifestDigest\":\""
                + A
                + "\",\"sizeBytes\":2019393189,\"blobCount\":5,\"stagedAt\":\"2026-11-29T04:59:00Z\","
                + "\"outcome\":\"done\"}");
    assertThat(map.getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/name", "ollama-airgap-stager");
    assertThat(map.getMetadata().getAnnotations())
        .containsEntry("ollama-airgap/store", "/models")
        .containsEntry("ollama-airgap/generated-by", "stager-pod");
  }

  @Test
  void publish_existingConfigMap_replacesItsDataAndKeepsForeignLabels() throws Exception {
    api.client()
        .configMaps()
        .inNamespace(NS)
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName(NAME)
                .withNamespace(NS)
                .addToLabels("team", "ml")
                .endMetadata()
                .addToData("expect", "old@" + B)
                .addToData("stale-key", "x")
                .build())
        .create();

    new InventoryPublisher(api.client(), NS, NAME, json)
        .publish(
            inventory(
                new InventoryModel(
                    "registry.ollama.ai/library/llama3.2:3b", A, 1, 1, "t", Outcome.DONE, null)));

    ConfigMap map = configMap();
    assertThat(map.getData())
        .containsOnlyKeys("inventory.json", "expect")
        .containsEntry("expect", "registry.ollama.ai/library/llama3.2:3b@" + A);
    assertThat(map.getMetadata().getLabels()).containsEntry("team", "ml");
  }

  @Test
  void publish_apiRefuses_saysWhatPermissionIsNeeded() {
    InventoryPublisher publisher =
        new InventoryPublisher(MockApi.unreachableClient(), NS, NAME, json);
    assertThatThrownBy(() -> publisher.publish(inventory()))
        .isInstanceOf(InventoryPublisher.PublishException.class)
        .hasMessageStartingWith(
            "cannot write the inventory to ConfigMap ollama-staging/ollama-airgap-inventory: ")
        .hasMessageEndingWith(
            "; the stager's ServiceAccount needs create on configmaps and get and update on this"
                + " name (the chart's Role grants them for stager.inventoryConfigMap)");
  }
}
