package org.ollamaairgap.stager;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The package layering, enforced: {@code common} is the framework-free store model and engine that
 * both apps build on, so it depends on nothing app-side; {@code app} is what both programs share
 * around it and runs before Quarkus starts, so it knows no Quarkus runtime and neither program; the
 * stager's {@code driver} package is the port the drivers plug into, so it knows neither of them.
 */
class ArchitectureTest {
  private static final JavaClasses MAIN =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("org.ollamaairgap");

  @Test
  void common_dependsOnNothingAppSide() {
    noClasses()
        .that()
        .resideInAPackage("org.ollamaairgap.common..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.ollamaairgap.stager..",
            "org.ollamaairgap.verifier..",
            "org.ollamaairgap.app..",
            "io.quarkus..",
            "io.smallrye..",
            "jakarta..",
            "org.eclipse.microprofile..",
            "org.jboss..",
            "picocli..",
            "io.micrometer..",
            "io.fabric8..")
        .because("common is the framework-free store model both apps share")
        .check(MAIN);
  }

  @Test
  void app_runsWithoutQuarkus() {
    noClasses()
        .that()
        .resideInAPackage("org.ollamaairgap.app..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.ollamaairgap.stager..",
            "org.ollamaairgap.verifier..",
            "io.quarkus..",
            "io.vertx..",
            "jakarta..",
            "org.jboss..",
            "io.micrometer..",
            "io.fabric8..")
        .because(
            "app answers --help, --version and usage errors before Quarkus starts, and both"
                + " programs share it")
        .check(MAIN);
  }

  @Test
  void driverPort_knowsNoDriver() {
    noClasses()
        .that()
        .resideInAPackage("org.ollamaairgap.stager.driver..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.ollamaairgap.stager.registry..", "org.ollamaairgap.stager.ollama..")
        .because("drivers plug into the port; the port must not name them")
        .check(MAIN);
  }
}
