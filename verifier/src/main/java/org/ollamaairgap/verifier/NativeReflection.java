package org.ollamaairgap.verifier;

import io.quarkus.runtime.annotations.RegisterForReflection;
import org.ollamaairgap.common.record.RecordSession;
import org.ollamaairgap.common.verify.Finding;
import org.ollamaairgap.common.verify.FindingKind;
import org.ollamaairgap.common.verify.ModelResult;
import org.ollamaairgap.common.verify.Severity;
import org.ollamaairgap.common.verify.VerificationReport;

/**
 * Registers for reflection, in the native executable, every type Jackson binds to or from JSON.
 *
 * <p>Quarkus registers REST payloads by itself, but not types read or written with a plain {@code
 * ObjectMapper} (reports, manifests, API streams), and the types in {@code common} cannot carry
 * Quarkus annotations. A type missing here works in JVM mode and fails only in the native
 * executable, with empty JSON or "no serializer found". Add each such type (records and the enums
 * they hold included) to {@code targets}; this is the only place (docs/images.md).
 */
@RegisterForReflection(
    targets = {
      ReportFile.class,
      VerificationReport.class,
      ModelResult.class,
      Finding.class,
      FindingKind.class,
      Severity.class,
      RecordSession.Counts.class
    })
final class NativeReflection {
  private NativeReflection() {}
}
