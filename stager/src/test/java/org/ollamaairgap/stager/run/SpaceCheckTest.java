package org.ollamaairgap.stager.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ollamaairgap.common.model.Manifest;
import org.ollamaairgap.common.model.ModelName;
import org.ollamaairgap.testing.StoreBuilder;
import org.ollamaairgap.testing.SyntheticModel;

/** The space check counts a blob as present by the rule the download uses, no other. */
class SpaceCheckTest {
  @TempDir Path root;

  @Test
  void missing_countsAbsentAndWrongSizeBlobsAndSharedBlobsOnce() throws Exception {
    SyntheticModel a = SyntheticModel.typical("a:1", 1, 5_000);
    SyntheticModel b = SyntheticModel.typical("b:1", 1, 5_000); // shares a's weights
    StoreBuilder store = StoreBuilder.at(root).add(a);
    Map<ModelName, Manifest> manifests = new LinkedHashMap<>();
    manifests.put(a.name(), a.manifest());
    manifests.put(b.name(), b.manifest());
    long bOnly =
        b.manifest().blobs().values().stream()
            .filter(d -> !a.manifest().blobs().containsKey(d.digest()))
            .mapToLong(d -> d.size())
            .sum();

    assertThat(SpaceCheck.missing(store.layout(), manifests)).as("b's own blobs").isEqualTo(bOnly);
    manifests.remove(b.name());
    assertThat(SpaceCheck.missing(store.layout(), manifests)).as("all present").isZero();

    var weights = a.layers().get(0).blob();
    store.truncate(weights.digest(), 10);
    assertThat(SpaceCheck.missing(store.layout(), manifests))
        .as("a wrong-size blob is downloaded again, so it counts in full")
        .isEqualTo(weights.size());

    store.deleteBlob(weights.digest());
    assertThat(SpaceCheck.missing(store.layout(), manifests)).isEqualTo(weights.size());
  }
}
