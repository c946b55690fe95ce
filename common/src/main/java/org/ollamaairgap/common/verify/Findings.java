package org.ollamaairgap.common.verify;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The findings of one verification as they come in, from several hashing threads at once. The first
 * {@link #SHOWN_PER_KIND} of each kind are passed to the listener's {@code found} and kept for the
 * report; the rest only go to {@code foundBeyondLimit} and are counted, so that a store holding
 * 100,000 junk files neither floods the log nor fills the heap. Remembers which models an error
 * concerns, as names, so that no model list is joined into the finding's text and split again.
 */
final class Findings {
  /** Lines per finding kind in the log (and findings per kind kept in memory). */
  static final int SHOWN_PER_KIND = 20;

  private static final int LISTED_NAMES = 5;

  private final VerifyListener listener;
  private final List<Finding> kept = new ArrayList<>();
  private final Map<FindingKind, Long> counts = new EnumMap<>(FindingKind.class);
  private final Set<String> failedModels = new HashSet<>();
  private boolean allFailed;

  Findings(VerifyListener listener) {
    this.listener = listener;
  }

  /** Adds a finding about the model it names, if any. */
  void add(Finding finding) {
    add(finding, finding.model() == null ? List.of() : List.of(finding.model()));
  }

  /** Adds a finding that concerns these models (display names). */
  void add(Finding finding, Collection<String> models) {
    boolean shown;
    synchronized (kept) {
      long count = counts.merge(finding.kind(), 1L, Long::sum);
      shown = count <= SHOWN_PER_KIND;
      if (shown) {
        kept.add(finding);
      }
      if (finding.severity() == Severity.ERROR) {
        failedModels.addAll(models);
      }
    }
    if (shown) {
      listener.found(finding);
    } else {
      listener.foundBeyondLimit(finding);
    }
  }

  /** Every model fails: something breaks Ollama's listing of all of them. */
  void failAll() {
    synchronized (kept) {
      allFailed = true;
    }
  }

  /** Whether an ERROR concerns this model (display name). */
  boolean failed(String model) {
    synchronized (kept) {
      return allFailed || failedModels.contains(model);
    }
  }

  /** The kept findings, errors first, otherwise in the order found. */
  List<Finding> sorted() {
    List<Finding> sorted;
    synchronized (kept) {
      sorted = new ArrayList<>(kept);
    }
    sorted.sort(Comparator.comparing(Finding::severity));
    return sorted;
  }

  /** How many findings of each kind were found, kept or not. */
  Map<FindingKind, Long> counts() {
    synchronized (kept) {
      return new EnumMap<>(counts);
    }
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
