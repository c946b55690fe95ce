package org.ollamaairgap.stager.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Event;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.ollamaairgap.stager.testing.MockApi;

class EventPublisherTest {
  private static final String NS = "ollama-staging";
  private static final ClusterContext POD =
      new ClusterContext(true, NS, "ollama-airgap-stager-x7k2p", "0b9a-uid");
  private static final String DIGEST = "sha256:" + "c".repeat(64);

  private final MockApi api = new MockApi();

  @AfterEach
  void stop() {
    api.close();
  }

  private List<Event> events() {
    return api.client().v1().events().inNamespace(NS).list().getItems().stream()
        .sorted(Comparator.comparing(e -> e.getMetadata().getName()))
        .toList();
  }

  @Test
  void run_publishesStartedEachModelAndFinished_onThePod() {
    EventPublisher events = new EventPublisher(api.client(), POD, 20, Clock.systemUTC());
    events.started(2, "/models");
    events.staged("llama3.2:3b", DIGEST, 2019393189L);
    events.failed("qwen3:8b", "the registry has no such model");
    events.finished(false, "1 of 2 models failed; first: qwen3:8b: the registry has no such model");

    List<Event> sent = events();
    assertThat(sent)
        .extracting(Event::getType, Event::getReason, Event::getMessage)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(
                "Normal", "StagingStarted", "staging 2 models into /models"),
            org.assertj.core.groups.Tuple.tuple(
                "Normal",
                "ModelStaged",
                "llama3.2:3b staged and verified: manifest " + DIGEST + ", 1.9 GiB"),
            org.assertj.core.groups.Tuple.tuple(
                "Warning", "ModelFailed", "qwen3:8b failed: the registry has no such model"),
            org.assertj.core.groups.Tuple.tuple(
                "Warning",
                "StagingFailed",
                "1 of 2 models failed; first: qwen3:8b: the registry has no such model"));
    Event first = sent.get(0);
    assertThat(first.getInvolvedObject().getKind()).isEqualTo("Pod");
    assertThat(first.getInvolvedObject().getName()).isEqualTo("ollama-airgap-stager-x7k2p");
    assertThat(first.getInvolvedObject().getNamespace()).isEqualTo(NS);
    assertThat(first.getInvolvedObject().getUid()).isEqualTo("0b9a-uid");
    assertThat(first.getSource().getComponent()).isEqualTo("ollama-airgap-stager");
  }

  @Test
  void failed_aReasonQuotingCredentials_isRedactedInTheEvent() {
    EventPublisher events = new EventPublisher(api.client(), POD, 20, Clock.systemUTC());
    events.failed(
        "qwen3:8b",
        "the CDN https://cdn.example/b?X-Amz-Signature=abc answered: Authorization: Bearer t0k");

    assertThat(events())
        .extracting(Event::getMessage)
        .containsExactly(
            "qwen3:8b failed: the CDN https://cdn.example/b?[redacted] answered: Authorization:"
                + " [redacted]");
  }

  @Test
  void manyModels_eventCountIsBounded_andTheRestAreCountedInTheLastOne() {
    EventPublisher events = new EventPublisher(api.client(), POD, 5, Clock.systemUTC());
    events.started(10, "/models");
    for (int i = 0; i < 9; i++) {
      events.staged("m" + i + ":latest", DIGEST, 1024);
    }
    events.failed("bad:latest", "not found");
    events.finished(false, "1 of 10 models failed");

    List<Event> sent = events();
    assertThat(sent).hasSize(5);
    assertThat(sent).filteredOn(e -> e.getReason().equals("ModelStaged")).hasSize(3);
    assertThat(sent)
        .filteredOn(e -> e.getReason().equals("StagingFailed"))
        .singleElement()
        .extracting(Event::getMessage)
        .isEqualTo(
            "1 of 10 models failed (7 more model events not sent to bound the event count: 6"
                + " staged, 1 failed; the JSON summary in the log has them all)");
  }

  @Test
  void apiDown_runGoesOnWithoutEvents() {
    EventPublisher events =
        new EventPublisher(MockApi.unreachableClient(), POD, 20, Clock.systemUTC());
    events.started(1, "/models");
    events.staged("a:latest", DIGEST, 1);
    events.finished(true, "ok");
    // nothing thrown; the publisher gave up after the first failure
  }

  @Test
  void none_sendsNothing() {
    EventPublisher none = EventPublisher.none();
    none.started(1, "/models");
    none.finished(true, "ok");
    assertThat(events()).isEmpty();
  }

  @Test
  void human_printsBinaryUnits() {
    assertThat(EventPublisher.human(512)).isEqualTo("512 B");
    assertThat(EventPublisher.human(1536)).isEqualTo("1.5 KiB");
    assertThat(EventPublisher.human(274302450L)).isEqualTo("261.6 MiB");
  }
}
