package org.ollamaairgap.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A static {@link Fixtures} keeps what {@code @BeforeAll} started alive for every test. */
class FixturesClassScopeTest {
  @RegisterExtension static final Fixtures FIXTURES = new Fixtures();
  private static LocalRegistry registry;

  @BeforeAll
  static void startRegistry() throws Exception {
    registry = FIXTURES.registry();
  }

  @RepeatedTest(2)
  void registryStartedInBeforeAll_isStillUp() throws Exception {
    HttpResponse<Void> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(registry.baseUrl() + "/v2/")).build(),
                HttpResponse.BodyHandlers.discarding());

    assertThat(response.statusCode()).isEqualTo(200);
  }
}
