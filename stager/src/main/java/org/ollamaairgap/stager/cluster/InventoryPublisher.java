package org.ollamaairgap.stager.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ollamaairgap.stager.inventory.Inventory;

/**
 * Writes the inventory into a ConfigMap that the deployment tooling reads: key {@code
 * inventory.json} (the whole {@link Inventory}), key {@code expect} (ready for the verifier's
 * {@code VERIFIER_EXPECT}) and key {@code inventoryDigest} (ready for {@code
 * VERIFIER_INVENTORY_DIGEST}) when the run wrote the store's inventory file. The content is
 * replaced on every run; needs {@code create} on configmaps and {@code get}/{@code update} on this
 * one name.
 */
public final class InventoryPublisher {
  public static final String INVENTORY_KEY = "inventory.json";
  public static final String EXPECT_KEY = "expect";
  public static final String INVENTORY_DIGEST_KEY = "inventoryDigest";
  private static final int CONFLICT = 409;
  private static final int ATTEMPTS = 3;

  private final KubernetesClient client;
  private final String namespace;
  private final String name;
  private final ObjectMapper json;

  public InventoryPublisher(
      KubernetesClient client, String namespace, String name, ObjectMapper json) {
    this.client = client;
    this.namespace = namespace;
    this.name = name;
    this.json = json.copy().enable(SerializationFeature.INDENT_OUTPUT);
  }

  /** {@code namespace/name}. */
  public String describe() {
    return "ConfigMap " + namespace + "/" + name;
  }

  /**
   * Creates or replaces the ConfigMap's data. Concurrent writers are settled by resourceVersion: a
   * conflict re-reads and writes again.
   *
   * @throws PublishException with what to check (RBAC, name) when the API refuses
   */
  public void publish(Inventory inventory) throws PublishException {
    Map<String, String> data = new LinkedHashMap<>();
    try {
      data.put(INVENTORY_KEY, json.writeValueAsString(inventory) + "\n");
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize the inventory", e);
    }
    data.put(EXPECT_KEY, inventory.expect());
    if (inventory.inventoryDigest() != null) {
      data.put(INVENTORY_DIGEST_KEY, inventory.inventoryDigest());
    }
    Map<String, String> labels =
        Map.of(
            "app.kubernetes.io/name", "ollama-airgap-stager",
            "app.kubernetes.io/component", "inventory");
    Map<String, String> annotations =
        Map.of(
            "ollama-airgap/store", inventory.store(),
            "ollama-airgap/generated-at", inventory.generatedAt(),
            "ollama-airgap/generated-by", inventory.generatedBy());
    try {
      for (int attempt = 1; ; attempt++) {
        ConfigMap existing = client.configMaps().inNamespace(namespace).withName(name).get();
        try {
          if (existing == null) {
            ConfigMap created =
                new ConfigMapBuilder()
                    .withNewMetadata()
                    .withName(name)
                    .withNamespace(namespace)
                    .withLabels(labels)
                    .withAnnotations(annotations)
                    .endMetadata()
                    .withData(data)
                    .build();
            client.configMaps().inNamespace(namespace).resource(created).create();
          } else {
            existing.getMetadata().setLabels(merge(existing.getMetadata().getLabels(), labels));
            existing
                .getMetadata()
                .setAnnotations(merge(existing.getMetadata().getAnnotations(), annotations));
            existing.setData(data);
            existing.setBinaryData(null);
            client.configMaps().inNamespace(namespace).resource(existing).update();
          }
          return;
        } catch (KubernetesClientException e) {
          if (e.getCode() != CONFLICT || attempt >= ATTEMPTS) {
            throw e;
          }
        }
      }
    } catch (KubernetesClientException e) {
      throw new PublishException(
          "cannot write the inventory to "
              + describe()
              + ": "
              + e.getMessage()
              + "; the stager's ServiceAccount needs create on configmaps and get and update on"
              + " this name (the chart's Role grants them for stager.inventoryConfigMap)",
          e);
    }
  }

  private static Map<String, String> merge(Map<String, String> old, Map<String, String> ours) {
    Map<String, String> merged = new LinkedHashMap<>();
    if (old != null) {
      merged.putAll(old);
    }
    merged.putAll(ours);
    return merged;
  }

  /** The ConfigMap could not be written. */
  public static final class PublishException extends Exception {
    private static final long serialVersionUID = 1L;

    PublishException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
