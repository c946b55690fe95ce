package org.ollamaairgap.verifier;

import org.ollamaairgap.common.verify.VerificationReport;

/**
 * The JSON report ({@code --report}).
 *
 * @param result {@code ok} or {@code failed}
 * @param exitCode the verifier's exit code
 * @param report everything found
 */
public record ReportFile(String result, int exitCode, VerificationReport report) {}
