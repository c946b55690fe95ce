package org.ollamaairgap.common.verify;

import java.util.List;
import org.ollamaairgap.common.model.Digest;
import org.ollamaairgap.common.store.StoreLayout;

/** The required models are in the store, and the pinned ones are the pinned manifest. */
final class RequirementCheck {
  private final StoreLayout layout;
  private final Findings findings;

  RequirementCheck(StoreLayout layout, Findings findings) {
    this.layout = layout;
    this.findings = findings;
  }

  void check(List<Requirement> requirements, List<ManifestEntry> entries) {
    for (Requirement requirement : requirements) {
      String wanted = requirement.name().displayShortest();
      ManifestEntry found = null;
      for (ManifestEntry entry : entries) {
        if (entry.name() != null && entry.name().sameAs(requirement.name())) {
          found = entry;
          break;
        }
      }
      if (found == null) {
        findings.add(
            new Finding(
                FindingKind.REQUIRED_MODEL_MISSING,
                wanted,
                null,
                layout.manifest(requirement.name()).toString(),
                "a manifest",
                "none",
                "required model " + wanted + " is not in the store",
                "stage " + wanted + " (or fix the model list the verifier is given)"));
        continue;
      }
      Digest pin = requirement.manifestDigest();
      if (pin != null && found.manifest() != null && !pin.equals(found.manifest().digest())) {
        findings.add(
            new Finding(
                FindingKind.EXPECTED_DIGEST_MISMATCH,
                found.display(),
                pin.toString(),
                found.file().toString(),
                pin.toString(),
                found.manifest().digest().toString(),
                "manifest of "
                    + found.display()
                    + " is not the pinned one (model ID "
                    + found.manifest().digest().shortHex()
                    + ", pinned "
                    + pin.shortHex()
                    + ")",
                "stage the pinned version, or update the pin if the new version is intended"));
      }
    }
  }
}
