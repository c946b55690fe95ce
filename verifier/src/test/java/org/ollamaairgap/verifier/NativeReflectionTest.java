package org.ollamaairgap.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ollamaairgap.testing.JsonTypes;

class NativeReflectionTest {

  @Test
  void registersEveryTypeOfTheJsonReport() {
    RegisterForReflection registration =
        NativeReflection.class.getAnnotation(RegisterForReflection.class);
    List<String> registered = new ArrayList<>(Arrays.asList(registration.classNames()));
    Arrays.stream(registration.targets()).map(Class::getName).forEach(registered::add);

    // The walk itself is checked too: a new record in the report shows up here first.
    assertThat(JsonTypes.reachable(ReportFile.class))
        .containsExactlyInAnyOrder(
            "org.ollamaairgap.verifier.ReportFile",
            "org.ollamaairgap.common.verify.VerificationReport",
            "org.ollamaairgap.common.verify.ModelResult",
            "org.ollamaairgap.common.verify.Finding",
            "org.ollamaairgap.common.verify.FindingKind",
            "org.ollamaairgap.common.verify.Severity",
            "org.ollamaairgap.common.record.RecordSession$Counts");
    assertThat(registered).containsAll(JsonTypes.reachable(ReportFile.class));
  }
}
