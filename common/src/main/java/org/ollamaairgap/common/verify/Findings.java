package org.ollamaairgap.common.verify;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The findings of one verification as they come in, from several hashing threads at once: each is
 * passed on to the listener at once and kept for the report. Remembers which models an error
 * concerns, as names, so that no model list is joined into the finding's text and split again.
 */
final class Findings {
  private static final int LISTED_NAMES = 5;

  private final VerifyListener listener;
  private final List<Finding> all = new ArrayList<>();
  private final Set<String> failedModels = new HashSet<>();

  Findings(VerifyListener listener) {
    this.listener = listener;
  }

  /** Adds a finding about the model it names, if any. */
  void add(Finding finding) {
    add(finding, finding.model() == null ? List.of() : List.of(finding.model()));
  }

  /** Adds a finding that concerns these models (display names). */
  void add(Finding finding, Collection<String> models) {
    synchronized (all) {
      all.add(finding);
      if (finding.severity() == Severity.ERROR) {
        failedModels.addAll(models);
      }
    }
    listener.found(finding);
  }

  /** Whether an ERROR concerns this model (display name). */
  boolean failed(String model) {
    synchronized (all) {
      return failedModels.contains(model);
    }
  }

  /** Every finding, errors first, otherwise in the order found. */
  List<Finding> sorted() {
    List<Finding> sorted;
    synchronized (all) {
      sorted = new ArrayList<>(all);
    }
    sorted.sort(Comparator.comparing(Finding::severity));
    return sorted;
  }

  /** The first few names and how many more, for a message. */
  static String listed(List<String> names) {
    List<String> shown = names.subList(0, Math.min(LISTED_NAMES, names.size()));
    String more =
        names.size() > shown.size() ? " and " + (names.size() - shown.size()) + " more" : "";
    return String.join(", ", shown) + more;
  }

  /** Bytes for people, binary units as {@code ls -h}. */
  static String human(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
    double value = bytes;
    int unit = -1;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
  }
}
