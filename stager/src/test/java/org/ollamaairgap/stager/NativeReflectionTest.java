package org.ollamaairgap.stager;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ollamaairgap.stager.run.Summary;
import org.ollamaairgap.testing.JsonTypes;

class NativeReflectionTest {

  @Test
  void registersEveryTypeJacksonBinds() throws ClassNotFoundException {
    RegisterForReflection registration =
        NativeReflection.class.getAnnotation(RegisterForReflection.class);
    List<String> registered = new ArrayList<>(Arrays.asList(registration.classNames()));
    Arrays.stream(registration.targets()).map(Class::getName).forEach(registered::add);
    // The summary (stdout, --report) and the registry driver's resume state (package-private).
    Class<?> resumeState = Class.forName("org.ollamaairgap.stager.registry.ResumeState");

    // The walk itself is checked too: a new record in either shows up here first.
    assertThat(JsonTypes.reachable(Summary.class, resumeState))
        .containsExactlyInAnyOrder(
            "org.ollamaairgap.stager.run.Summary",
            "org.ollamaairgap.stager.run.ModelReport",
            "org.ollamaairgap.stager.registry.ResumeState",
            "org.ollamaairgap.stager.registry.ResumeState$Part");
    assertThat(registered).containsAll(JsonTypes.reachable(Summary.class, resumeState));
  }
}
