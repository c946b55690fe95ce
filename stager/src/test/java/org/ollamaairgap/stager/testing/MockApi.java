package org.ollamaairgap.stager.testing;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.util.HashMap;

/**
 * fabric8's mock API server in CRUD mode (it stores what is created and answers gets, updates with
 * resourceVersion checks and lists), for tests of the Kubernetes parts without booting Quarkus.
 */
public final class MockApi implements AutoCloseable {
  private final KubernetesMockServer server;
  private final KubernetesClient client;

  public MockApi() {
    server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(),
            false);
    server.init();
    client = server.createClient();
  }

  public KubernetesClient client() {
    return client;
  }

  /** A second client, as another stager pod would have. */
  public KubernetesClient newClient() {
    return server.createClient();
  }

  /** A client of an API server that is not there (connection refused), giving up at once. */
  public static KubernetesClient unreachableClient() {
    return new io.fabric8.kubernetes.client.KubernetesClientBuilder()
        .withHttpClientFactory(new io.fabric8.kubernetes.client.vertx.VertxHttpClientFactory())
        .withConfig(
            new io.fabric8.kubernetes.client.ConfigBuilder()
                .withMasterUrl("http://127.0.0.1:1")
                .withNamespace("default")
                .withRequestRetryBackoffLimit(0)
                .build())
        .build();
  }

  @Override
  public void close() {
    client.close();
    server.destroy();
  }
}
