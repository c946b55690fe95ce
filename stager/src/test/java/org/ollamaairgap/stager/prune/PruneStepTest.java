package org.ollamaairgap.stager.prune;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ollamaairgap.common.model.ModelName;
import org.ollamaairgap.common.prune.PruneMode;
import org.ollamaairgap.common.store.StoreWriter;
import org.ollamaairgap.testing.StoreBuilder;
import org.ollamaairgap.testing.SyntheticModel;

class PruneStepTest {
  static final SyntheticModel A = SyntheticModel.typical("a:1", 1, 30_000);
  static final SyntheticModel B = SyntheticModel.typical("b:1", 2, 40_000);
  static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

  @TempDir Path dir;
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final List<String> log = new ArrayList<>();

  PruneStep step(StoreBuilder store, PruneMode mode, Instant now) {
    return new PruneStep(
        new StoreWriter(store.layout()),
        new PruneStep.Settings(mode, Duration.ofHours(24), List.of()),
        Clock.fixed(now, ZoneOffset.UTC),
        log::add,
        registry);
  }

  @Test
  void offDoesNothing() throws Exception {
    StoreBuilder store = StoreBuilder.at(dir).add(A).add(B);
    assertThat(step(store, PruneMode.OFF, T0).run(List.of(A.name()))).isEmpty();
    assertThat(store.manifest("b:1")).exists();
    assertThat(log).isEmpty();
  }

  @Test
  void aDryRunLogsThePlanAndChangesNothing() throws Exception {
    StoreBuilder store = StoreBuilder.at(dir).add(A).add(B);
    step(store, PruneMode.ON, T0).run(List.of(A.name(), B.name())); // writes nothing to prune
    Map<String, String> before = snapshot(dir);
    PruneReport report = step(store, PruneMode.DRY_RUN, T0).run(List.of(A.name())).orElseThrow();
    assertThat(snapshot(dir)).isEqualTo(before);
    assertThat(report.mode()).isEqualTo("dry-run");
    assertThat(report.removedModels()).containsExactly("registry.ollama.ai/library/b:1");
    assertThat(report.prunedBytes()).isZero();
    assertThat(log).anyMatch(l -> l.startsWith("prune dry-run: would remove") && l.contains("b:1"));
    assertThat(log.get(log.size() - 1)).contains("nothing was changed", "STAGER_PRUNE=on");
  }

  @Test
  void onRemovesLogsEachDeletionAndCountsTheBytes() throws Exception {
    StoreBuilder store = StoreBuilder.at(dir).add(A).add(B);
    List<ModelName> onlyA = List.of(A.name());
    PruneReport first = step(store, PruneMode.ON, T0).run(onlyA).orElseThrow();
    assertThat(first.manifestsRemoved()).isEqualTo(1);
    assertThat(first.blobsDeleted()).isZero();
    assertThat(store.manifest("b:1")).doesNotExist();
    long manifestBytes = B.manifestBytes().length;
    assertThat(first.prunedBytes()).isEqualTo(manifestBytes);
    assertThat(log)
        .anyMatch(l -> l.startsWith("pruned ") && l.contains("b") && l.contains("not listed"));

    PruneReport later =
        step(store, PruneMode.ON, T0.plus(Duration.ofHours(25))).run(onlyA).orElseThrow();
    assertThat(later.blobsDeleted()).isPositive();
    assertThat(later.prunedBytesByModel()).containsKey("registry.ollama.ai/library/b:1");
    assertThat(registry.get("stager.pruned.bytes").counter().count())
        .isEqualTo((double) (first.prunedBytes() + later.prunedBytes()));
  }

  static Map<String, String> snapshot(Path root) throws Exception {
    Map<String, String> tree = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        tree.put(
            root.relativize(p).toString(),
            Files.isDirectory(p) ? "dir" : Files.size(p) + "@" + Files.getLastModifiedTime(p));
      }
    }
    return tree;
  }
}
