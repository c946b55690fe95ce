package org.ollamaairgap.stager;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ollamaairgap.stager.bundle.BundleSummary;
import org.ollamaairgap.stager.lock.LockRecord;
import org.ollamaairgap.stager.run.Summary;
import org.ollamaairgap.testing.JsonTypes;

class NativeReflectionTest {

  @Test
  void registersEveryTypeJacksonBinds() throws ClassNotFoundException {
    RegisterForReflection registration =
        NativeReflection.class.getAnnotation(RegisterForReflection.class);
    List<String> registered = new ArrayList<>(Arrays.asList(registration.classNames()));
    Arrays.stream(registration.targets()).map(Class::getName).forEach(registered::add);
    // The summary (stdout, --report; it carries the inventory), the registry driver's resume
    // state (package-private), the lock file's record and the export/import summary.
    Class<?> resumeState = Class.forName("org.ollamaairgap.stager.registry.ResumeState");

    // The walk itself is checked too: a new record in any of them shows up here first.
    assertThat(
            JsonTypes.reachable(Summary.class, resumeState, LockRecord.class, BundleSummary.class))
        .containsExactlyInAnyOrder(
            "org.ollamaairgap.stager.run.Summary",
            "org.ollamaairgap.stager.run.ModelReport",
            "org.ollamaairgap.common.progress.Outcome",
            "org.ollamaairgap.stager.inventory.Inventory",
            "org.ollamaairgap.stager.inventory.InventoryModel",
            "org.ollamaairgap.stager.lock.LockRecord",
            "org.ollamaairgap.stager.prune.PruneReport",
            "org.ollamaairgap.stager.registry.ResumeState",
            "org.ollamaairgap.stager.registry.ResumeState$Part",
            "org.ollamaairgap.stager.bundle.BundleSummary",
            "org.ollamaairgap.stager.bundle.BundleSummary$Model");
    assertThat(registered)
        .containsAll(
            JsonTypes.reachable(Summary.class, resumeState, LockRecord.class, BundleSummary.class));
  }
}
