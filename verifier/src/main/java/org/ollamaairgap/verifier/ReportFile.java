package org.ollamaairgap.verifier;

import org.ollamaairgap.common.record.RecordSession;
import org.ollamaairgap.common.verify.VerificationReport;

/**
 * The JSON report ({@code --report}).
 *
 * @param result {@code ok} or {@code failed}
 * @param exitCode the verifier's exit code
 * @param report everything found
 * @param record blobs and bytes accepted from the verification record and hashed, or null without
 *     {@code --record-dir}
 */
public record ReportFile(
    String result, int exitCode, VerificationReport report, RecordSession.Counts record) {}
