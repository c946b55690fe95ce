package org.ollamaairgap.common.verify;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.ollamaairgap.common.model.ModelName;
import org.ollamaairgap.common.store.Spelling;
import org.ollamaairgap.common.store.StoreLayout;

/**
 * Parts of manifest names spelled in two ways. Ollama's {@code getExistingName} resolves each part
 * of a request (host, namespace, model, tag, each across all manifests) to the spelling of any
 * manifest whose part matches case-insensitively, the last one in Go's random map order; with
 * {@code library/tiny} and {@code Library/other} a request for {@code tiny} can become {@code
 * Library/tiny}, which does not exist. Every model with either spelling is at risk.
 */
final class CaseVariants {
  private final StoreLayout layout;
  private final Findings findings;

  CaseVariants(StoreLayout layout, Findings findings) {
    this.layout = layout;
    this.findings = findings;
  }

  void check(List<ManifestEntry> entries) {
    for (Spelling.Part part : Spelling.Part.values()) {
      // folded -> spelling -> models with it, sorted so the report is stable
      Map<String, Map<String, List<ManifestEntry>>> groups = new TreeMap<>();
      for (ManifestEntry entry : entries) {
        String spelled = part.of(entry.name());
        groups
            .computeIfAbsent(Spelling.fold(spelled), k -> new TreeMap<>())
            .computeIfAbsent(spelled, k -> new ArrayList<>())
            .add(entry);
      }
      for (Map<String, List<ManifestEntry>> spellings : groups.values()) {
        if (spellings.size() > 1) {
          report(part, spellings);
        }
      }
    }
  }

  private void report(Spelling.Part part, Map<String, List<ManifestEntry>> spellings) {
    String keep = keep(part, spellings);
    Set<String> atRisk = new LinkedHashSet<>();
    List<String> each = new ArrayList<>();
    Set<String> rename = new LinkedHashSet<>();
    for (Map.Entry<String, List<ManifestEntry>> s : spellings.entrySet()) {
      List<String> models = new ArrayList<>();
      for (ManifestEntry entry : s.getValue()) {
        models.add(entry.display());
        atRisk.add(entry.display());
        if (!s.getKey().equals(keep)) {
          rename.add(directory(part, entry.name()).toString());
        }
      }
      each.add("'" + s.getKey() + "' (" + Findings.listed(models) + ")");
    }
    List<String> renameList = new ArrayList<>(rename);
    findings.add(
        new Finding(
            FindingKind.CASE_VARIANT,
            String.join(",", atRisk),
            null,
            renameList.get(0),
            "one spelling of the " + part.label(),
            String.join(", ", spellings.keySet().stream().map(s -> "'" + s + "'").toList()),
            "the "
                + part.label()
                + " is spelled "
                + String.join(" and ", each)
                + ": Ollama matches names case-insensitively and resolves each part of a request to"
                + " one of the spellings at random, often to a manifest path that does not exist,"
                + " so these models fail to load about half the time",
            "on the writable side rename "
                + Findings.listed(renameList)
                + " to the spelling '"
                + keep
                + "' (merge into the existing directory; where both hold the same tag keep one),"
                + " or remove the models spelled otherwise"),
        atRisk);
  }

  /**
   * The spelling to keep: lower case for the default host and namespace, which is what {@code
   * /api/pull} writes; otherwise the one most manifests use, the first in order on a tie.
   */
  private static String keep(Spelling.Part part, Map<String, List<ManifestEntry>> spellings) {
    String any = spellings.keySet().iterator().next();
    boolean defaultHost =
        part == Spelling.Part.HOST && Spelling.sameFold(any, ModelName.DEFAULT_HOST);
    boolean defaultNamespace =
        part == Spelling.Part.NAMESPACE && Spelling.sameFold(any, ModelName.DEFAULT_NAMESPACE);
    if (defaultHost) {
      return ModelName.DEFAULT_HOST;
    }
    if (defaultNamespace) {
      return ModelName.DEFAULT_NAMESPACE;
    }
    String best = any;
    for (Map.Entry<String, List<ManifestEntry>> s : spellings.entrySet()) {
      if (s.getValue().size() > spellings.get(best).size()) {
        best = s.getKey();
      }
    }
    return best;
  }

  /** The directory (or, for the tag, the file) that carries this part's spelling. */
  private Path directory(Spelling.Part part, ModelName name) {
    Path path = layout.manifestsDir().resolve(name.host());
    if (part.ordinal() >= Spelling.Part.NAMESPACE.ordinal()) {
      path = path.resolve(name.namespace());
    }
    if (part.ordinal() >= Spelling.Part.MODEL.ordinal()) {
      path = path.resolve(name.model());
    }
    if (part == Spelling.Part.TAG) {
      path = path.resolve(name.tag());
    }
    return path;
  }
}
