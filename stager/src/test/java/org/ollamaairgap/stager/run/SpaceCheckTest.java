package org.ollamaairgap.stager.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ollamaairgap.stager.testing.StageFailures.assertEnvironmentFailure;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ollamaairgap.common.model.Manifest;
import org.ollamaairgap.common.model.ModelName;
import org.ollamaairgap.stager.driver.StageException;
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

  /** A manifest whose one layer declares {@code size} bytes (each manifest's own total fits). */
  private static Manifest declaring(char hexDigit, long size) throws Exception {
    String json =
        "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.docker.distribution.manifest.v2+json\","
            + "\"config\":{\"mediaType\":\"application/vnd.docker.container.image.v1+json\","
            + "\"digest\":\"sha256:"
            + "0".repeat(64)
            + "\",\"size\":2},\"layers\":[{\"mediaType\":\"application/vnd.ollama.image.model\","
            + "\"digest\":\"sha256:"
            + String.valueOf(hexDigit).repeat(64)
            + "\",\"size\":"
            + size
            + "}]}";
    return Manifest.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void check_twoHugeDeclaredSizes_doNotOverflowIntoAPass() throws Exception {
    long huge = (Long.MAX_VALUE / 4) * 3; // two of them wrap a long to a negative sum
    Map<ModelName, Manifest> manifests = new LinkedHashMap<>();
    manifests.put(ModelName.parse("a:1"), declaring('a', huge));
    manifests.put(ModelName.parse("b:1"), declaring('b', huge));
    StoreBuilder store = StoreBuilder.at(root);
    Files.createDirectories(store.layout().workDir());

    assertThat(SpaceCheck.missing(store.layout(), manifests)).isEqualTo(Long.MAX_VALUE);
    assertEnvironmentFailure(
            () -> SpaceCheck.check(store.layout(), manifests), StageException.Reason.NO_SPACE)
        .startsWith("not enough space in " + root + ": the blobs still missing for a:1, b:1 need ")
        .contains("(" + Long.MAX_VALUE + " bytes), but only ")
        .endsWith("Nothing was downloaded.");
  }
}
