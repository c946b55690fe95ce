package org.ollamaairgap.common.prune;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.ollamaairgap.common.model.ModelName;

/**
 * Which manifests a prune may remove: by default only those under a host and namespace that the
 * model list itself names, so a model staged by hand under {@code myreg:5000/team} is left alone
 * unless asked. Names compare as Ollama compares them, ignoring case.
 *
 * @param all every manifest in the store is in scope
 * @param repositories {@code host/namespace} pairs in scope, lower case
 */
public record PruneScope(boolean all, Set<String> repositories) {
  public static final String LISTED = "listed";
  public static final String ALL = "all";

  public PruneScope {
    repositories = Set.copyOf(repositories);
  }

  /** The hosts and namespaces of the listed models. */
  public static PruneScope listed(Collection<ModelName> models) {
    Set<String> repositories = new TreeSet<>();
    for (ModelName name : models) {
      repositories.add(key(name.host(), name.namespace()));
    }
    return new PruneScope(false, repositories);
  }

  /**
   * {@code --prune-scope}: {@code listed} (the default), {@code all}, or a comma-separated list of
   * {@code host/namespace} entries (which adds to the listed ones).
   */
  public static PruneScope parse(List<String> values, Collection<ModelName> models) {
    Set<String> repositories = new TreeSet<>(listed(models).repositories());
    for (String raw : values) {
      String value = raw.strip();
      if (value.isEmpty() || value.equalsIgnoreCase(LISTED)) {
        continue;
      }
      if (value.equalsIgnoreCase(ALL)) {
        return new PruneScope(true, Set.of());
      }
      String[] parts = value.split("/", -1);
      if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
        throw new IllegalArgumentException(
            "'"
                + value
                + "' is not host/namespace (e.g. registry.ollama.ai/library), '"
                + LISTED
                + "' or '"
                + ALL
                + "'");
      }
      repositories.add(key(parts[0], parts[1]));
    }
    return new PruneScope(false, repositories);
  }

  public boolean contains(ModelName name) {
    return all || repositories.contains(key(name.host(), name.namespace()));
  }

  private static String key(String host, String namespace) {
    return (host + "/" + namespace).toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return all ? ALL : String.join(",", repositories);
  }
}
